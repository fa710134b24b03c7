package com.telpro.control.trunk;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A digest of the trunk table computed by PostgreSQL from each row's id and {@code xmin}
 * (the transaction that wrote that row version: every insert or update, through the
 * service, a migration or plain SQL, writes a new one). Equal digests mean equal trunks,
 * so what was built from them can be reused while the digest stays the same. At 10,000
 * trunks it costs a few milliseconds; loading them as entities costs hundreds.
 */
@Component
public class TrunkTableDigest {

	private static final String DIGEST = "select count(*) || ':' || coalesce(md5(string_agg(t.id || '.' || t.xmin, ',' order by t.id)), '') "
			+ "from trunk t";

	private final JdbcTemplate jdbc;

	TrunkTableDigest(JdbcTemplate jdbc) {
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
