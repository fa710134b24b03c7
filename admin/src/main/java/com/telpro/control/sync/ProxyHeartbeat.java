package com.telpro.control.sync;

import java.time.Instant;
import java.util.List;

/**
 * What a Kamailio instance last said about itself ({@code telpro:v1:proxy:<node>}, every
 * 2 s, gone 15 s after the proxy stops).
 *
 * @param generation 0 while the proxy has loaded nothing (it then refuses trunk traffic)
 * @param refused the trunks of its generation it could not load
 */
public record ProxyHeartbeat(String node, long generation, Instant loadedAt, int trunks, List<Refused> refused,
		Instant seenAt) {

	public ProxyHeartbeat {
		refused = refused == null ? List.of() : List.copyOf(refused);
	}

	public record Refused(Long id, String name, String reason) {
	}

}
