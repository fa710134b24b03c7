package com.telpro.control.sync;

import com.telpro.control.trunk.TrunkTableDigest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A digest of everything the generation document is built from: every trunk row and every
 * platform secret row (trunks name CA certificates by secret), by id and row version
 * ({@code xmin}, see {@link TrunkTableDigest}). Equal digests, equal documents, so the
 * drift view reuses the document of the last build instead of building it again.
 */
@Component
class SyncInputsDigest {

	private static final String SECRETS = "select count(*) || ':' || coalesce(md5(string_agg(s.id || '.' || s.xmin, ',' order by s.id)), '') "
			+ "from platform_secret s";

	private final TrunkTableDigest trunks;

	private final JdbcTemplate jdbc;

	SyncInputsDigest(TrunkTableDigest trunks, JdbcTemplate jdbc) {
		this.trunks = trunks;
		this.jdbc = jdbc;
	}

	/**
	 * Read it BEFORE the rows it is to describe: a change in between then only costs a
	 * rebuild.
	 */
	String current() {
		return trunks.current() + "/" + secrets();
	}

	/** The platform secrets' part alone. */
	String secrets() {
		return jdbc.queryForObject(SECRETS, String.class);
	}

}
