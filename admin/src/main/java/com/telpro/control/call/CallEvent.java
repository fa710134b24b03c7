package com.telpro.control.call;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One entry of the edge's record stream as {@code kamailio/CALL-RECORDS.md} describes it:
 * an attempt (with its answer) or the end of an answered call.
 */
record CallEvent(String type, String id, String node, String trunk, String srcIp, Integer srcPort, String transport,
		String fromUser, String fromHost, String toUser, String toHost, String ruriUser, String ruriHost, String callId,
		String extCallId, String xCallId, Instant arrivedAt, Instant finalAt, Instant answeredAt, Instant endedAt,
		Integer status, String reason, int attempts, boolean aggregated) {

	static final String ATTEMPT = "attempt";

	static final String END = "end";

	private static final ObjectMapper JSON = new ObjectMapper();

	/**
	 * The entry's event, or an exception when it is not a record this version
	 * understands.
	 */
	static CallEvent parse(String json) {
		JsonNode n;
		try {
			n = JSON.readTree(json);
		}
		catch (Exception ex) {
			throw new IllegalArgumentException("not JSON", ex);
		}
		String type = text(n, "type");
		String id = text(n, "id");
		String node = text(n, "node");
		if (id == null || node == null || !(ATTEMPT.equals(type) || END.equals(type))) {
			throw new IllegalArgumentException("not a call record of layout 1");
		}
		return new CallEvent(type, id, node, text(n, "trunk"), text(n, "src_ip"), integer(n, "src_port"),
				text(n, "transport"), text(n, "from_user"), text(n, "from_host"), text(n, "to_user"),
				text(n, "to_host"), text(n, "ruri_user"), text(n, "ruri_host"), text(n, "call_id"),
				text(n, "ext_call_id"), text(n, "x_call_id"), time(n, "arrived_at"), time(n, "final_at"),
				time(n, "answered_at"), time(n, "ended_at"), integer(n, "status"), text(n, "reason"),
				n.hasNonNull("attempts") ? Math.max(1, n.get("attempts").asInt(1)) : 1,
				n.path("aggregated").asBoolean(false));
	}

	String outcome() {
		return ReasonCode.outcome(reason, status);
	}

	// PostgreSQL text cannot hold NUL; everything else is stored as sent
	private static String text(JsonNode n, String field) {
		JsonNode v = n.get(field);
		if (v == null || v.isNull()) {
			return null;
		}
		return v.asText().replace('\u0000', '\uFFFD');
	}

	private static Integer integer(JsonNode n, String field) {
		JsonNode v = n.get(field);
		return v == null || !v.canConvertToInt() ? null : v.asInt();
	}

	private static Instant time(JsonNode n, String field) {
		JsonNode v = n.get(field);
		return v == null || !v.isNumber() ? null : Instant.ofEpochMilli(v.asLong());
	}

}
