package com.telpro.control.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import com.telpro.contract.Certificates;
import com.telpro.contract.PemBlock;
import com.telpro.contract.RedisContract;
import com.telpro.control.secret.CaBundle;
import com.telpro.control.secret.PlatformSecretService;
import com.telpro.control.secret.SecretPurpose;
import com.telpro.control.secret.SecretUpload;
import com.telpro.control.secret.TestPki;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest
class TlsMaterialPublisherTests {

	@Autowired
	TlsMaterialPublisher publisher;

	@Autowired
	PlatformSecretService secrets;

	@Autowired
	TrunkRepository trunks;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void clean() {
		trunks.deleteAll();
		jdbc.update("delete from platform_secret");
		redis.delete(List.of(RedisContract.TLS_CA_BUNDLE, RedisContract.TLS_CA_BUNDLE_SHA256));
	}

	@Test
	void publishesTheCasOfEnabledTrunksAndTheirHashNeverAKey() {
		TestPki.Issued first = TestPki.ca("First Root", 365);
		TestPki.Issued second = TestPki.ca("Second Root", 365);
		TestPki.Issued unused = TestPki.ca("Unused Root", 365);
		long firstId = upload("first", SecretPurpose.CA_CERT, first.certificatePem());
		long secondId = upload("second", SecretPurpose.CA_CERT, second.certificatePem());
		upload("unused", SecretPurpose.CA_CERT, unused.certificatePem());
		upload("edge-key", SecretPurpose.TLS_SERVER_KEY, first.privateKeyPem());
		trunk("b-first", firstId, true);
		trunk("a-first-again", firstId, true);
		trunk("second-disabled", secondId, false);

		CaBundle published = publisher.publish(trunks.findAll());

		String bundle = redis.opsForValue().get(RedisContract.TLS_CA_BUNDLE);
		assertThat(redis.opsForValue().get(RedisContract.TLS_CA_BUNDLE_SHA256))
			.isEqualTo(Certificates.sha256Hex(bundle))
			.isEqualTo(published.sha256());
		assertThat(PemBlock.parseAll(bundle)).hasSize(1)
			.allSatisfy(block -> assertThat(block.type()).isEqualTo("CERTIFICATE"));
		assertThat(Certificates.parse(PemBlock.parseAll(bundle).get(0).der()).getSubjectX500Principal().getName())
			.contains("CN=First Root");
		assertThat(bundle).doesNotContain("PRIVATE KEY");

		trunks.findByName("second-disabled").ifPresent(t -> {
			t.setEnabled(true);
			trunks.save(t);
		});
		CaBundle both = publisher.publish(trunks.findAll());
		assertThat(both.secretIds()).containsExactly(firstId, secondId);
		assertThat(redis.opsForValue().get(RedisContract.TLS_CA_BUNDLE_SHA256)).isEqualTo(both.sha256())
			.isNotEqualTo(published.sha256());
		assertThat(PemBlock.parseAll(redis.opsForValue().get(RedisContract.TLS_CA_BUNDLE))).hasSize(2);
	}

	@Test
	void publishesAnEmptyBundleWhenNoTrunkNamesACa() {
		CaBundle published = publisher.publish(List.of());
		assertThat(redis.opsForValue().get(RedisContract.TLS_CA_BUNDLE)).isEmpty();
		assertThat(redis.opsForValue().get(RedisContract.TLS_CA_BUNDLE_SHA256)).isEqualTo(Certificates.sha256Hex(""))
			.isEqualTo(published.sha256());
	}

	private long upload(String name, SecretPurpose purpose, String pem) {
		return secrets.upload(new SecretUpload(name, purpose, pem)).id();
	}

	private void trunk(String name, long caSecretId, boolean enabled) {
		Trunk trunk = new Trunk();
		trunk.setName(name);
		trunk.setIdentifyBy(Set.of(IdentifyMethod.SOURCE_IP));
		trunk.setAllowedIps(List.of("192.0.2.20/32"));
		trunk.setTlsCaSecretId(caSecretId);
		trunk.setEnabled(enabled);
		trunks.save(trunk);
	}

}
