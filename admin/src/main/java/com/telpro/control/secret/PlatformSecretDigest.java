package com.telpro.control.secret;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A digest of the platform secret rows computed by PostgreSQL from each row's id and
 * {@code xmin} (the transaction that wrote that row version), like the trunk table's
 * digest: equal digests, equal secrets, so what was derived from them can be reused.
 */
@Component
public class PlatformSecretDigest {

	private static final String DIGEST = "select count(*) || ':' || coalesce(md5(string_agg(s.id || '.' || s.xmin, ',' order by s.id)), '') "
			+ "from platform_secret s";

	private final JdbcTemplate jdbc;

	PlatformSecretDigest(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Read it BEFORE what it is to describe: a change in between then only costs a
	 * rebuild.
	 */
	public String current() {
		return jdbc.queryForObject(DIGEST, String.class);
	}

}
