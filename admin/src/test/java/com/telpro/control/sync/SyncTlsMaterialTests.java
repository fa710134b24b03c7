package com.telpro.control.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.contract.Certificates;
import com.telpro.contract.PemBlock;
import com.telpro.contract.RedisContract;
import com.telpro.control.secret.PlatformSecretService;
import com.telpro.control.secret.SecretPurpose;
import com.telpro.control.secret.SecretUpload;
import com.telpro.control.secret.TestPki;
import com.telpro.control.trunk.TrunkRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * A trunk names a CA secret through the API; the sync publishes its fingerprint and the
 * CA bundle.
 */
@SpringBootTest
@WithMockUser(username = "admin", roles = "ADMIN")
@AutoConfigureMockMvc
class SyncTlsMaterialTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	ObjectMapper json;

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
		Trunks.clearContractKeys(redis);
		redis.delete(List.of(RedisContract.TLS_CA_BUNDLE, RedisContract.TLS_CA_BUNDLE_SHA256));
	}

	@Test
	void aTrunkAcceptsOnlyACaCertificateSecret() throws Exception {
		TestPki.Issued ca = TestPki.ca("Trunk Root", 365);
		long caId = secrets.upload(new SecretUpload("trunk-root", SecretPurpose.CA_CERT, ca.certificatePem())).id();
		long keyId = secrets.upload(new SecretUpload("edge-key", SecretPurpose.TLS_SERVER_KEY, ca.privateKeyPem()))
			.id();

		createTrunk("not-a-ca", keyId).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("tls_ca_secret_id"));
		createTrunk("unknown-ca", caId + keyId + 100).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("tls_ca_secret_id"));
		createTrunk("mtls", caId).andExpect(status().isCreated()).andExpect(jsonPath("$.tls_ca_secret_id").value(caId));
	}

	@Test
	void theSyncPublishesTheFingerprintAndTheCaBundleBeforeTheGeneration() throws Exception {
		TestPki.Issued ca = TestPki.ca("Published Root", 365);
		long caId = secrets.upload(new SecretUpload("published-root", SecretPurpose.CA_CERT, ca.certificatePem())).id();
		createTrunk("mtls", caId).andExpect(status().isCreated());
		String fingerprint = Certificates
			.fingerprint(Certificates.parse(PemBlock.parseAll(ca.certificatePem()).get(0).der()));

		mvc.perform(post("/api/sync")).andExpect(status().is2xxSuccessful());

		String generation = redis.opsForValue().get(RedisContract.GENERATION);
		JsonNode document = json.readTree(redis.opsForValue().get(RedisContract.document(Long.parseLong(generation))));
		assertThat(document.path("trunks").get(0).path("tls_ca_fingerprint").asText()).isEqualTo(fingerprint);
		String bundle = redis.opsForValue().get(RedisContract.TLS_CA_BUNDLE);
		assertThat(redis.opsForValue().get(RedisContract.TLS_CA_BUNDLE_SHA256))
			.isEqualTo(Certificates.sha256Hex(bundle));
		assertThat(PemBlock.parseAll(bundle)).singleElement()
			.satisfies(block -> assertThat(Certificates.sha256Hex(block.der())).isEqualTo(fingerprint));
	}

	private ResultActions createTrunk(String name, long caSecretId) throws Exception {
		Map<String, Object> trunk = new LinkedHashMap<>();
		trunk.put("name", name);
		trunk.put("identify_by", List.of("source_ip"));
		trunk.put("allowed_ips", List.of("198.51.100.0/24"));
		trunk.put("auth_method", "ip_only");
		trunk.put("require_tls", true);
		trunk.put("verify_peer", true);
		trunk.put("require_client_cert", true);
		trunk.put("tls_ca_secret_id", caSecretId);
		return mvc.perform(
				post("/api/trunks").contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(trunk)));
	}

}
