package com.telpro.control.secret;

import java.time.Instant;
import java.util.List;

/**
 * Whether the edge trusts the CA bundle of the last sync: the published hash and what
 * each TLS watcher reports ({@code telpro:v1:tls:watcher:<node>}).
 *
 * @param available false when Redis could not be read (then nothing else is known)
 * @param publishedSha256 the bundle hash of the last sync, null before the first
 */
public record TlsEdgeStatus(boolean available, String publishedSha256, List<Watcher> watchers) {

	/**
	 * @param current the watcher's material in force is the published bundle
	 */
	public record Watcher(String node, String appliedSha256, String outcome, String message, Instant reloadedAt,
			Instant seenAt, boolean current) {
	}

	static TlsEdgeStatus unavailable() {
		return new TlsEdgeStatus(false, null, List.of());
	}

}
