package com.telpro.control.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;

import javax.sql.DataSource;

import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;
import org.jasypt.encryption.pbe.StandardPBEStringEncryptor;
import org.jasypt.iv.RandomIvGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Secrets at rest: AES-GCM under a key derived once, and values written by jasypt before
 * V70.
 */
@SpringBootTest
class SecretCipherTests {

	static final String PASSWORD = "Plain-Text-Pass-4711";

	@Autowired
	SecretCipher cipher;

	@Autowired
	SecretsProperties properties;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	TrunkRepository trunks;

	@BeforeEach
	void clean() {
		trunks.deleteAll();
	}

	@Test
	void newValuesAreAesGcmWithAFreshNonceAndReadBack() {
		String first = cipher.encrypt(PASSWORD);
		String second = cipher.encrypt(PASSWORD);
		assertThat(first).startsWith("v2:").doesNotContain(PASSWORD).isNotEqualTo(second);
		assertThat(cipher.decrypt(first)).isEqualTo(PASSWORD);
		assertThat(cipher.decrypt(second)).isEqualTo(PASSWORD);
		assertThat(cipher.decrypt(cipher.encrypt("ünïcødé ☎"))).isEqualTo("ünïcødé ☎");
	}

	@Test
	void aTamperedValueIsRefusedWithoutNamingIt() {
		String sealed = cipher.encrypt(PASSWORD);
		char last = sealed.charAt(sealed.length() - 3);
		String tampered = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A')
				+ sealed.substring(sealed.length() - 2);
		assertThatThrownBy(() -> cipher.decrypt(tampered)).isInstanceOf(IllegalStateException.class)
			.message()
			.doesNotContain(tampered);
	}

	@Test
	void aValueWrittenByTheJasyptEncryptorStaysReadable() {
		assertThat(cipher.decrypt(legacy(PASSWORD))).isEqualTo(PASSWORD);
	}

	@Test
	void flywayRanTheReencryptionMigration() {
		assertThat(jdbc.queryForObject("select success from flyway_schema_history where version = '70'", Boolean.class))
			.isTrue();
	}

	@Test
	void migrationRewritesJasyptValuesAndKeepsTheirPlaintext() throws Exception {
		String old = legacy(PASSWORD);
		jdbc.update("insert into trunk (name, priority, identify_by, allowed_ips, auth_method, auth_realm, auth_user, "
				+ "auth_pass_encrypted) values ('legacy', 10, '[\"source_ip\"]'::jsonb, '[\"10.1.2.3/32\"]'::jsonb, "
				+ "'ip_and_digest', 'carrier.example', 'alice', ?)", old);
		String current = cipher.encrypt("already-current");
		jdbc.update("insert into trunk (name, priority, identify_by, allowed_ips, auth_method, auth_realm, auth_user, "
				+ "auth_pass_encrypted) values ('current', 20, '[\"source_ip\"]'::jsonb, '[\"10.1.2.4/32\"]'::jsonb, "
				+ "'ip_and_digest', 'carrier.example', 'bob', ?)", current);

		try (Connection connection = dataSource.getConnection()) {
			new V70__Reencrypt_secrets_with_aes_gcm(cipher).migrate(context(connection));
		}

		String migrated = jdbc.queryForObject("select auth_pass_encrypted from trunk where name = 'legacy'",
				String.class);
		assertThat(migrated).startsWith("v2:").isNotEqualTo(old);
		assertThat(cipher.decrypt(migrated)).isEqualTo(PASSWORD);
		assertThat(jdbc.queryForObject("select auth_pass_encrypted from trunk where name = 'current'", String.class))
			.isEqualTo(current);
		Trunk loaded = trunks.findAll().stream().filter(t -> t.getName().equals("legacy")).findFirst().orElseThrow();
		assertThat(loaded.getAuthPass()).isEqualTo(PASSWORD);
		assertThat(loaded.getVersion()).isZero();
	}

	/** What SecretCipher wrote before V70: jasypt PBE, a key derived per value. */
	private String legacy(String plaintext) {
		StandardPBEStringEncryptor jasypt = new StandardPBEStringEncryptor();
		jasypt.setAlgorithm("PBEWITHHMACSHA512ANDAES_256");
		jasypt.setIvGenerator(new RandomIvGenerator());
		jasypt.setKeyObtentionIterations(1000);
		jasypt.setPassword(properties.key());
		return jasypt.encrypt(plaintext);
	}

	private static Context context(Connection connection) {
		return new Context() {
			@Override
			public Configuration getConfiguration() {
				return null;
			}

			@Override
			public Connection getConnection() {
				return connection;
			}
		};
	}

}
