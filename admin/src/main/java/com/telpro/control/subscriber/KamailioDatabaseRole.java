package com.telpro.control.subscriber;

import java.util.List;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The PostgreSQL role Kamailio connects with, kept to least privilege at every start when
 * {@code telpro.kamailio.db-password} is set: it may log in (SCRAM-SHA-256 verifier),
 * read the accounts ({@code subscriber}, {@code version}), keep the registrations
 * ({@code location}, {@code location_attrs}) and add call records ({@code acc},
 * {@code missed_calls}), and nothing else. The admin service owns the schema (Flyway) and
 * needs the privilege to create roles; without it the role is left as it is and a warning
 * says so.
 */
@Component
class KamailioDatabaseRole implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(KamailioDatabaseRole.class);

	private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	/** Every table of Kamailio's schema, with what the role may do on it. */
	static final List<String> GRANTS = List.of("select on table subscriber, version",
			"select, insert, update, delete on table location, location_attrs", "insert on table acc, missed_calls",
			"usage on sequence location_id_seq, location_attrs_id_seq, acc_id_seq, missed_calls_id_seq");

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final KamailioProperties properties;

	KamailioDatabaseRole(JdbcTemplate jdbc, TransactionTemplate transaction, KamailioProperties properties) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.properties = properties;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (properties.dbPassword().isEmpty()) {
			return;
		}
		String role = properties.dbRole();
		if (!ROLE_NAME.matcher(role).matches()) {
			throw new IllegalStateException("telpro.kamailio.db-role must be a plain lower-case PostgreSQL name");
		}
		try {
			transaction.executeWithoutResult(status -> ensure(role, ScramVerifier.of(properties.dbPassword())));
			log.info("PostgreSQL role {} for Kamailio: login with SCRAM-SHA-256, grants {}", role, GRANTS);
		}
		catch (DataAccessException ex) {
			log.warn("PostgreSQL role {} for Kamailio not set up (the service's database user needs CREATEROLE): {}",
					role, ex.getMostSpecificCause().getMessage());
		}
	}

	private void ensure(String role, String verifier) {
		String quoted = "\"" + role + "\"";
		Integer exists = jdbc.queryForObject("select count(*) from pg_roles where rolname = ?", Integer.class, role);
		if (exists == null || exists == 0) {
			jdbc.execute("create role " + quoted);
		}
		jdbc.execute("set local password_encryption = 'scram-sha-256'");
		// the verifier is base64 and '$:' only; PostgreSQL stores a SCRAM verifier as
		// given
		jdbc.execute("alter role " + quoted
				+ " with login nosuperuser nocreatedb nocreaterole noinherit noreplication nobypassrls password '"
				+ verifier + "'");
		// no role but the schema owner creates objects in public (PostgreSQL 14 lets
		// everyone)
		jdbc.execute("revoke create on schema public from public");
		jdbc.execute("revoke all on all tables in schema public from " + quoted);
		jdbc.execute("revoke all on all sequences in schema public from " + quoted);
		for (String grant : GRANTS) {
			jdbc.execute("grant " + grant + " to " + quoted);
		}
	}

}
