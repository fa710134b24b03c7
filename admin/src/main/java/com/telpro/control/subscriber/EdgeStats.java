package com.telpro.control.subscriber;

import java.time.Instant;
import java.util.Map;

/**
 * The live figures of one Kamailio edge, as {@code kamcmd stats.get_statistics all} and
 * {@code kamctl monitor} show them; {@code reachable == false} with a {@code problem}
 * when the proxy did not answer (every figure is then 0).
 */
public record EdgeStats(boolean reachable, String problem, Instant fetchedAt, long uptimeSeconds, long registeredUsers,
		long registeredContacts, long registrationsAccepted, long registrationsRejected, long requestsReceived,
		long requestsForwarded, long repliesSent, long activeDialogs, Map<String, Long> activeDialogsPerTrunk,
		long sharedMemoryUsed, long sharedMemoryTotal) {

	static EdgeStats unreachable(String problem, Instant at) {
		return new EdgeStats(false, problem, at, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), 0, 0);
	}

	/** Used share of shared memory in percent, rounded down. */
	public long sharedMemoryPercent() {
		return sharedMemoryTotal == 0 ? 0 : sharedMemoryUsed * 100 / sharedMemoryTotal;
	}

}
