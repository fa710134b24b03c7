package com.telpro.control.call;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.telpro.control.common.Texts;
import com.telpro.control.config.InvalidInputException;
import com.telpro.control.config.NotFoundException;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.MapBindingResult;

/** Reads the call records ({@code call_records}, written by {@link CallRecordStore}). */
@Service
public class CallRecordService {

	public static final int MAX_PAGE_SIZE = 500;

	public static final int DEFAULT_PAGE_SIZE = 50;

	/** Rows a CSV export holds at most; narrow the filters for more. */
	public static final int EXPORT_LIMIT = 100_000;

	private static final String COLUMNS = """
			select id, node, trunk, src_ip, src_port, transport, from_user, from_host, to_user, to_host, ruri_user,
			       ruri_host, call_id, ext_call_id, x_call_id, arrived_at, final_at, answered_at, ended_at, status, reason,
			       outcome, attempts, aggregated
			from call_records
			""";

	// q matches through the prefix indexes first, then exactly
	private static final String WHERE = """
			where arrived_at is not null
			  and (cast(:trunk as text) is null or trunk = :trunk)
			  and (cast(:outcome as text) is null or outcome = :outcome)
			  and (cast(:reason as text) is null or reason = :reason)
			  and (cast(:edge as text) is null or node = :edge)
			  and (cast(:from as timestamptz) is null or arrived_at >= :from)
			  and (cast(:to as timestamptz) is null or arrived_at < :to)
			  and (cast(:q as text) is null
			       or (left(call_id, 200) = left(:q, 200) and call_id = :q)
			       or (left(ext_call_id, 200) = left(:q, 200) and ext_call_id = :q)
			       or (left(from_user, 200) = left(:q, 200) and from_user = :q)
			       or (left(to_user, 200) = left(:q, 200) and to_user = :q)
			       or (left(ruri_user, 200) = left(:q, 200) and ruri_user = :q))
			""";

	private static final RowMapper<CallRecord> ROW = (rs, n) -> new CallRecord(rs.getLong("id"), rs.getString("node"),
			rs.getString("trunk"), rs.getString("src_ip"), (Integer) rs.getObject("src_port"),
			rs.getString("transport"), rs.getString("from_user"), rs.getString("from_host"), rs.getString("to_user"),
			rs.getString("to_host"), rs.getString("ruri_user"), rs.getString("ruri_host"), rs.getString("call_id"),
			rs.getString("ext_call_id"), rs.getString("x_call_id"), instant(rs, "arrived_at"), instant(rs, "final_at"),
			instant(rs, "answered_at"), instant(rs, "ended_at"), (Integer) rs.getObject("status"),
			rs.getString("reason"), rs.getString("outcome"), rs.getInt("attempts"), rs.getBoolean("aggregated"));

	private final NamedParameterJdbcTemplate jdbc;

	CallRecordService(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The filters as given on the page or the API, checked: an unknown outcome or reason
	 * code or an unreadable time is a field error (400 on the API); blank means "any".
	 */
	public CallQuery query(String trunk, String outcome, String reason, String edge, String from, String to, String q) {
		MapBindingResult errors = new MapBindingResult(new HashMap<>(), "callQuery");
		String o = Texts.blankToNull(outcome);
		if (o != null && !CallOutcome.ALL.contains(o)) {
			errors.rejectValue("outcome", "invalid", "one of " + CallOutcome.ALL);
		}
		String r = Texts.blankToNull(reason);
		if (r != null && ReasonCode.of(r).isEmpty()) {
			errors.rejectValue("reason", "invalid", "not a reason code of kamailio/REASON-CODES.md");
		}
		Instant f = time(from, "from", errors);
		Instant t = time(to, "to", errors);
		if (errors.hasErrors()) {
			throw new InvalidInputException(errors);
		}
		return new CallQuery(Texts.blankToNull(trunk), o, r, Texts.blankToNull(edge), f, t, Texts.blankToNull(q));
	}

	/**
	 * One page, newest first; page from 0, size clamped to 1..{@value #MAX_PAGE_SIZE}.
	 */
	@Transactional(readOnly = true)
	public CallPage search(CallQuery query, int page, int size) {
		int p = Math.max(0, page);
		int s = Math.max(1, Math.min(MAX_PAGE_SIZE, size));
		MapSqlParameterSource parameters = parameters(query).addValue("limit", s + 1).addValue("offset", (long) p * s);
		List<CallRecord> rows = jdbc
			.query(COLUMNS + WHERE + " order by arrived_at desc, id desc limit :limit offset :offset", parameters, ROW);
		boolean hasNext = rows.size() > s;
		return new CallPage(hasNext ? rows.subList(0, s) : rows, p, s, hasNext);
	}

	@Transactional(readOnly = true)
	public CallRecord find(long id) {
		List<CallRecord> rows = jdbc.query(COLUMNS + " where id = :id", Map.of("id", id), ROW);
		if (rows.isEmpty()) {
			throw new NotFoundException("call record", id);
		}
		return rows.get(0);
	}

	/**
	 * Every record matching the filters, newest first, up to {@value #EXPORT_LIMIT}, one
	 * by one.
	 */
	@Transactional(readOnly = true)
	public void export(CallQuery query, Consumer<CallRecord> sink) {
		MapSqlParameterSource parameters = parameters(query).addValue("limit", EXPORT_LIMIT);
		int[] n = { 0 };
		jdbc.query(COLUMNS + WHERE + " order by arrived_at desc, id desc limit :limit", parameters,
				(RowCallbackHandler) rs -> sink.accept(ROW.mapRow(rs, n[0]++)));
	}

	/** The trunk names and edge nodes seen in the records, for the filter choices. */
	@Transactional(readOnly = true)
	public List<String> edges() {
		return jdbc.queryForList("select distinct node from call_records where arrived_at is not null order by node",
				Map.of(), String.class);
	}

	private static MapSqlParameterSource parameters(CallQuery q) {
		return new MapSqlParameterSource().addValue("trunk", q.trunk())
			.addValue("outcome", q.outcome())
			.addValue("reason", q.reason())
			.addValue("edge", q.edge())
			.addValue("from", q.from() == null ? null : Timestamp.from(q.from()))
			.addValue("to", q.to() == null ? null : Timestamp.from(q.to()))
			.addValue("q", q.q());
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp t = rs.getTimestamp(column);
		return t == null ? null : t.toInstant();
	}

	// an ISO instant, or a date-time without zone (what a datetime-local field sends) in
	// UTC
	private static Instant time(String value, String field, MapBindingResult errors) {
		String v = Texts.blankToNull(value);
		if (v == null) {
			return null;
		}
		try {
			return Instant.parse(v);
		}
		catch (DateTimeParseException ex) {
			try {
				return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
			}
			catch (DateTimeParseException ex2) {
				errors.rejectValue(field, "invalid", "an ISO-8601 time, e.g. 2026-11-24T10:42:00Z");
				return null;
			}
		}
	}

}
