package com.telpro.control.subscriber;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registrations from Kamailio's {@code location} table. usrloc runs in db_mode 2
 * (write-back), so the table follows Kamailio's memory within its timer_interval
 * (USRLOC_TIMER, 60 s by default) and the page still works when the proxy is down.
 * Expired contacts are left out (Kamailio writes local time: it and PostgreSQL share a
 * host and time zone).
 */
@Service
public class RegistrationService {

	private final JdbcTemplate jdbc;

	RegistrationService(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(readOnly = true)
	public List<Registration> current() {
		return jdbc.query("""
				select username, domain, contact, received, user_agent, expires, last_modified
				from location
				where expires > localtimestamp
				order by domain, username, last_modified desc""",
				(rs, i) -> new Registration(
						rs.getString("domain") == null ? rs.getString("username")
								: rs.getString("username") + "@" + rs.getString("domain"),
						rs.getString("contact"), emptyToNull(rs.getString("received")), rs.getString("user_agent"),
						rs.getTimestamp("expires").toLocalDateTime(),
						rs.getTimestamp("last_modified").toLocalDateTime()));
	}

	private static String emptyToNull(String value) {
		return value == null || value.isEmpty() ? null : value;
	}

}
