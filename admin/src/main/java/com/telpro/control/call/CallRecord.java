package com.telpro.control.call;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One INVITE attempt the edge handled (or, when {@code aggregated}, {@code attempts}
 * unmatched attempts of one source in one minute), with its final answer and the edge's
 * reason code.
 */
public record CallRecord(long id, String node, String trunk, String srcIp, Integer srcPort, String transport,
		String fromUser, String fromHost, String toUser, String toHost, String ruriUser, String ruriHost, String callId,
		String externalCallId, String xCallId, Instant arrivedAt, Instant finalAt, Instant answeredAt, Instant endedAt,
		Integer status, String reason, String outcome, int attempts, boolean aggregated) {

	/**
	 * Seconds from the answer to the BYE; null while the call lasts or when it was never
	 * answered.
	 */
	@JsonProperty("duration_seconds")
	public Long durationSeconds() {
		return answeredAt == null || endedAt == null ? null : Duration.between(answeredAt, endedAt).toSeconds();
	}

	/**
	 * An answered call is {@code in_progress} until its BYE, then {@code ended}; else the
	 * outcome.
	 */
	@JsonProperty("state")
	public String state() {
		if (CallOutcome.ANSWERED.equals(outcome)) {
			return endedAt == null ? "in_progress" : "ended";
		}
		return outcome;
	}

}
