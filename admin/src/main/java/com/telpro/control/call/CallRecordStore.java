package com.telpro.control.call;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes the edge's call records into {@code call_records}, idempotently: an entry
 * delivered twice (the consumer crashed before acknowledging it, the edge replayed its
 * spool, a 200 was retransmitted) updates the same row, keyed by the SHA-256 of the
 * edge's record id.
 */
@Service
public class CallRecordStore {

	private static final Logger log = LoggerFactory.getLogger(CallRecordStore.class);

	private static final String UPSERT_ATTEMPT = """
			insert into call_records (record_key, record_id, node, trunk, src_ip, src_port, transport, from_user, from_host,
			    to_user, to_host, ruri_user, ruri_host, call_id, ext_call_id, x_call_id, arrived_at, final_at, answered_at,
			    status, reason, outcome, attempts, aggregated)
			values (:key, :id, :node, :trunk, :src_ip, :src_port, :transport, :from_user, :from_host, :to_user, :to_host,
			    :ruri_user, :ruri_host, :call_id, :ext_call_id, :x_call_id, :arrived_at, :final_at, :answered_at, :status,
			    :reason, :outcome, :attempts, :aggregated)
			on conflict (record_key) do update set
			    trunk = coalesce(excluded.trunk, call_records.trunk),
			    src_ip = coalesce(excluded.src_ip, call_records.src_ip),
			    src_port = coalesce(excluded.src_port, call_records.src_port),
			    transport = coalesce(excluded.transport, call_records.transport),
			    from_user = coalesce(excluded.from_user, call_records.from_user),
			    from_host = coalesce(excluded.from_host, call_records.from_host),
			    to_user = coalesce(excluded.to_user, call_records.to_user),
			    to_host = coalesce(excluded.to_host, call_records.to_host),
			    ruri_user = coalesce(excluded.ruri_user, call_records.ruri_user),
			    ruri_host = coalesce(excluded.ruri_host, call_records.ruri_host),
			    call_id = coalesce(excluded.call_id, call_records.call_id),
			    ext_call_id = coalesce(excluded.ext_call_id, call_records.ext_call_id),
			    x_call_id = coalesce(excluded.x_call_id, call_records.x_call_id),
			    arrived_at = coalesce(excluded.arrived_at, call_records.arrived_at),
			    final_at = coalesce(excluded.final_at, call_records.final_at),
			    answered_at = coalesce(call_records.answered_at, excluded.answered_at),
			    status = coalesce(excluded.status, call_records.status),
			    reason = coalesce(excluded.reason, call_records.reason),
			    outcome = coalesce(excluded.outcome, call_records.outcome),
			    attempts = greatest(excluded.attempts, call_records.attempts),
			    aggregated = excluded.aggregated or call_records.aggregated
			""";

	// an end may arrive before its attempt (the attempt waited in the edge's spool): the
	// row is
	// created with the end only and completed when the attempt arrives
	private static final String UPSERT_END = """
			insert into call_records (record_key, record_id, node, ended_at)
			values (:key, :id, :node, :ended_at)
			on conflict (record_key) do update set ended_at = coalesce(call_records.ended_at, excluded.ended_at)
			""";

	private final NamedParameterJdbcTemplate jdbc;

	CallRecordStore(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores the entries in one transaction; an entry that is no call record is logged
	 * and skipped (it would otherwise block the stream forever). Returns how many were
	 * records.
	 */
	@Transactional
	public int store(List<String> entries) {
		List<SqlParameterSource> attempts = new ArrayList<>();
		List<SqlParameterSource> ends = new ArrayList<>();
		for (String entry : entries) {
			CallEvent event;
			try {
				event = CallEvent.parse(entry);
			}
			catch (IllegalArgumentException ex) {
				log.warn("Call record stream entry skipped: {} ({} characters)", ex.getMessage(),
						entry == null ? 0 : entry.length());
				continue;
			}
			if (CallEvent.END.equals(event.type())) {
				ends.add(end(event));
			}
			else {
				attempts.add(attempt(event));
			}
		}
		if (!attempts.isEmpty()) {
			jdbc.batchUpdate(UPSERT_ATTEMPT, attempts.toArray(SqlParameterSource[]::new));
		}
		if (!ends.isEmpty()) {
			jdbc.batchUpdate(UPSERT_END, ends.toArray(SqlParameterSource[]::new));
		}
		return attempts.size() + ends.size();
	}

	private static MapSqlParameterSource attempt(CallEvent e) {
		return new MapSqlParameterSource().addValue("key", key(e.id()))
			.addValue("id", e.id())
			.addValue("node", e.node())
			.addValue("trunk", e.trunk())
			.addValue("src_ip", e.srcIp())
			.addValue("src_port", e.srcPort())
			.addValue("transport", e.transport())
			.addValue("from_user", e.fromUser())
			.addValue("from_host", e.fromHost())
			.addValue("to_user", e.toUser())
			.addValue("to_host", e.toHost())
			.addValue("ruri_user", e.ruriUser())
			.addValue("ruri_host", e.ruriHost())
			.addValue("call_id", e.callId())
			.addValue("ext_call_id", e.extCallId())
			.addValue("x_call_id", e.xCallId())
			.addValue("arrived_at", timestamp(e.arrivedAt()))
			.addValue("final_at", timestamp(e.finalAt()))
			.addValue("answered_at", timestamp(e.answeredAt()))
			.addValue("status", e.status())
			.addValue("reason", e.reason())
			.addValue("outcome", e.outcome())
			.addValue("attempts", e.attempts())
			.addValue("aggregated", e.aggregated());
	}

	private static MapSqlParameterSource end(CallEvent e) {
		return new MapSqlParameterSource().addValue("key", key(e.id()))
			.addValue("id", e.id())
			.addValue("node", e.node())
			.addValue("ended_at", timestamp(e.endedAt()));
	}

	private static Timestamp timestamp(Instant instant) {
		return instant == null ? null : Timestamp.from(instant);
	}

	static byte[] key(String recordId) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(recordId.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
