package com.telpro.control.trunk;

import java.util.List;

/**
 * A trunk's live load as the edges count it in Redis, platform-wide and per edge: calls
 * now against {@code max_concurrent_calls} and admissions in the last second against
 * {@code max_calls_per_second}. {@code available} false: Redis could not be read, figures
 * are 0.
 */
public record TrunkLoad(boolean available, long callsNow, int maxConcurrentCalls, long callsPerSecondNow,
		int maxCallsPerSecond, List<Edge> edges) {

	/** One live edge's part. */
	public record Edge(String node, long callsNow, long callsPerSecondNow) {
	}

	public static TrunkLoad unavailable(int maxConcurrentCalls, int maxCallsPerSecond) {
		return new TrunkLoad(false, 0, maxConcurrentCalls, 0, maxCallsPerSecond, List.of());
	}

}
