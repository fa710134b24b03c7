package com.telpro.control.call;

import java.util.List;

import com.telpro.control.common.Texts;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Recent calls, read from the accounting tables Kamailio writes; this service never writes them. */
@Service
public class CallRecordService {

	public static final int MAX_LIMIT = 500;

	private static final String RECENT_CALLS = """
			select c.callid, c.trunk, c.src_user, c.src_domain, c.dst_user, c.dst_domain, c.ext_call_id, c.src_ip,
			       c.time as started_at, c.sip_code, c.sip_reason, bye.ended_at
			from (select callid, trunk, src_user, src_domain, dst_user, dst_domain, ext_call_id, src_ip, time,
			             sip_code, sip_reason
			      from acc where method = 'INVITE'
			      union all
			      select callid, trunk, src_user, src_domain, dst_user, dst_domain, ext_call_id, src_ip, time,
			             sip_code, sip_reason
			      from missed_calls where method = 'INVITE') c
			left join lateral (select min(a.time) as ended_at from acc a
			                   where a.callid = c.callid and a.method = 'BYE') bye on true
			where (cast(:trunk as varchar) is null or c.trunk = :trunk)
			order by c.time desc, c.callid
			limit :limit
			""";

	private static final RowMapper<CallRecord> ROW = (rs, n) -> new CallRecord(rs.getString("callid"),
			rs.getString("trunk"), address(rs.getString("src_user"), rs.getString("src_domain")),
			address(rs.getString("dst_user"), rs.getString("dst_domain")), rs.getString("ext_call_id"),
			rs.getString("src_ip"), rs.getObject("started_at", java.time.LocalDateTime.class),
			rs.getObject("ended_at", java.time.LocalDateTime.class), parseStatus(rs.getString("sip_code")),
			rs.getString("sip_reason"));

	private final NamedParameterJdbcTemplate jdbc;

	CallRecordService(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param trunk only calls of this trunk; null for all
	 * @param limit how many, newest first; clamped to 1..{@value #MAX_LIMIT}
	 */
	@Transactional(readOnly = true)
	public List<CallRecord> recent(String trunk, int limit) {
		MapSqlParameterSource parameters = new MapSqlParameterSource().addValue("trunk", Texts.blankToNull(trunk))
			.addValue("limit", Math.max(1, Math.min(MAX_LIMIT, limit)));
		return jdbc.query(RECENT_CALLS, parameters, ROW);
	}

	private static String address(String user, String domain) {
		if (user == null && domain == null) {
			return null;
		}
		return (user == null ? "" : user + "@") + (domain == null ? "" : domain);
	}

	private static int parseStatus(String code) {
		try {
			return Integer.parseInt(code);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
