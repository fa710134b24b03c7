package com.telpro.control.sync;

import java.time.Instant;
import java.util.List;

/**
 * PostgreSQL compared with what Redis serves: the honest drift, from the published
 * hashes.
 *
 * @param state {@code in_sync}, {@code pending} or {@code never_synced}
 * @param message one line for the operator: "3 changes pending sync", "in sync since
 * 10:42, generation 17"
 * @param generation the live generation, null when nothing was ever published
 * @param publishedAt when the live generation was published
 * @param databaseTrunks the enabled trunks a sync would publish now
 * @param publishedTrunks the trunks in the live generation
 * @param lastSync the latest sync attempt recorded, null when none
 * @param proxies the proxies' heartbeats, each with the generation it has loaded
 */
public record SyncStatus(String state, String message, Long generation, Instant publishedAt, Pending pending,
		int databaseTrunks, int publishedTrunks, LastSync lastSync, List<ProxyStatus> proxies) {

	public static final String IN_SYNC = "in_sync";

	public static final String PENDING = "pending";

	public static final String NEVER_SYNCED = "never_synced";

	/** Trunks a sync would add to, change in, or remove from the live generation. */
	public record Pending(int added, int changed, int removed, int total) {
	}

	public record LastSync(Instant startedAt, String actor, String outcome, Long generation, int trunks,
			long durationMs, String error) {
	}

	/**
	 * @param current whether the proxy runs the live generation
	 */
	public record ProxyStatus(String node, long generation, boolean current, Instant loadedAt, int trunks,
			List<ProxyHeartbeat.Refused> refused, Instant seenAt, String message) {
	}

}
