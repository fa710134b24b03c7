package com.telpro.control.trunk;

import java.util.Collection;
import java.util.Map;

/**
 * Where the trunk pages and API read live call figures (implemented over Redis by sync/).
 */
public interface TrunkLoadLookup {

	/** Platform-wide and per-edge figures of one trunk. */
	TrunkLoad load(long trunkId, int maxConcurrentCalls, int maxCallsPerSecond);

	/**
	 * Calls now and admissions in the last second of many trunks, platform-wide only (two
	 * counts per trunk, pipelined): trunk id → {calls, cps}. Empty when Redis cannot be
	 * read.
	 */
	Map<Long, long[]> totals(Collection<Long> trunkIds);

}
