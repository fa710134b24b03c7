package com.telpro.control.call;

import java.time.LocalDateTime;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One call that passed the edge, assembled from Kamailio's accounting rows: the INVITE's final
 * answer (acc for answered calls, missed_calls for failed ones) and the BYE that ended it.
 * Times are as Kamailio wrote them (the proxy host's clock, UTC in the shipped images).
 */
public record CallRecord(String callId, String trunk, String from, String to, String externalCallId,
		String sourceIp, LocalDateTime startedAt, LocalDateTime endedAt, int finalStatus, String finalReason) {

	/** {@code in_progress}, {@code ended} or {@code failed}. */
	@JsonProperty("state")
	public String state() {
		if (finalStatus < 200 || finalStatus >= 300) {
			return "failed";
		}
		return endedAt == null ? "in_progress" : "ended";
	}

}
