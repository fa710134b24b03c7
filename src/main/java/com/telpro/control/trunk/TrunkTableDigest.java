package com.telpro.control.trunk;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A digest of every row of the trunk table, every column included, computed by PostgreSQL. Equal
 * digests mean equal trunks, however a row was changed (the service, a migration, plain SQL), so
 * what was built from the trunks can be reused while the digest stays the same. At 10,000 trunks
 * it costs a few milliseconds; loading them as entities costs hundreds.
 */
@Component
public class TrunkTableDigest {

	private static final String DIGEST = "select count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' order by t.id)), '') "
			+ "from trunk t";

	private final JdbcTemplate jdbc;

	TrunkTableDigest(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Read it BEFORE what it is to describe: a change in between then only costs a rebuild. */
	public String current() {
		return jdbc.queryForObject(DIGEST, String.class);
	}

}
