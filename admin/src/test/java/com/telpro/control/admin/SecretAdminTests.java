package com.telpro.control.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.telpro.contract.RedisContract;
import com.telpro.control.secret.PlatformSecretService;
import com.telpro.control.secret.SecretPurpose;
import com.telpro.control.secret.SecretUpload;
import com.telpro.control.secret.SecretView;
import com.telpro.control.secret.TestPki;
import com.telpro.control.sync.TlsMaterialPublisher;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

@SpringBootTest
@WithMockUser(username = "admin", roles = "ADMIN")
@AutoConfigureMockMvc
class SecretAdminTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	PlatformSecretService secrets;

	@Autowired
	TrunkRepository trunks;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void clean() {
		trunks.deleteAll();
		jdbc.update("delete from platform_secret");
	}

	@Test
	void listsSubjectValidityFingerprintAndTheExpiryWarning() throws Exception {
		SecretView soon = secrets.upload(new SecretUpload("short-lived", SecretPurpose.CA_CERT,
				TestPki.ca("Short Lived Root", 10).certificatePem()));

		String page = mvc.perform(get("/admin-settings/secrets"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(page).contains("Platform Secrets")
			.contains("short-lived")
			.contains("CN=Short Lived Root,O=Telpro Test")
			.contains(soon.fingerprintColons())
			.contains("expires in")
			.doesNotContain("??");
	}

	@Test
	void showsWhetherEachEdgeTrustsTheLastSyncsCaBundle(@Autowired StringRedisTemplate redis) throws Exception {
		String published = "a".repeat(64);
		redis.opsForValue().set(RedisContract.TLS_CA_BUNDLE_SHA256, published);
		redis.opsForValue()
			.set(RedisContract.TLS_WATCHER_PREFIX + "edge-ok", "{\"node\":\"edge-ok\",\"applied_sha256\":\"" + published
					+ "\",\"outcome\":\"unchanged\",\"message\":\"in force\"}", Duration.ofSeconds(60));
		redis.opsForValue()
			.set(RedisContract.TLS_WATCHER_PREFIX + "edge-old",
					"{\"node\":\"edge-old\",\"applied_sha256\":\"" + "b".repeat(64)
							+ "\",\"outcome\":\"reload_failed\",\"message\":\"tls.reload failed\"}",
					Duration.ofSeconds(60));
		try {
			String page = mvc.perform(get("/admin-settings/secrets")).andReturn().getResponse().getContentAsString();
			assertThat(page).containsPattern(
					"edge-old</td>\\s*<td>\\s*<span class=\"badge off\">not in force</span>\\s*<small class=\"dim\">reload_failed")
				.containsPattern(
						"edge-ok</td>\\s*<td>\\s*<span class=\"badge on\">in force</span>\\s*<small class=\"dim\">unchanged");
		}
		finally {
			redis.delete(List.of(RedisContract.TLS_CA_BUNDLE_SHA256, RedisContract.TLS_WATCHER_PREFIX + "edge-ok",
					RedisContract.TLS_WATCHER_PREFIX + "edge-old"));
		}
	}

	@Test
	void uploadsAFileAndRedirectsWithAMessage() throws Exception {
		MockMultipartFile file = new MockMultipartFile("file", "root.pem", "application/x-pem-file",
				TestPki.ca("File Root", 365).certificatePem().getBytes(StandardCharsets.UTF_8));

		mvc.perform(multipart("/admin-settings/secrets").file(file)
			.param("name", "file-root")
			.param("purpose", "CA_CERT")
			.with(csrf()))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrl("/admin-settings/secrets"))
			.andExpect(flash().attribute("message", Matchers.startsWith("Uploaded file-root")));
		assertThat(secrets.caCertificates()).singleElement()
			.satisfies(ca -> assertThat(ca.subject()).isEqualTo("CN=File Root,O=Telpro Test"));
	}

	@Test
	void showsTheRefusalBesideTheFieldAndNeverEchoesThePem() throws Exception {
		TestPki.Issued leaf = TestPki.leaf("sip.example.com");
		String body = leaf.certificatePem().lines().skip(1).findFirst().orElseThrow();

		String page = mvc
			.perform(multipart("/admin-settings/secrets").param("name", "leaf")
				.param("purpose", "CA_CERT")
				.param("pem", leaf.certificatePem() + leaf.privateKeyPem())
				.with(csrf()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(page).contains("holds a private key").doesNotContain(body).doesNotContain("PRIVATE KEY-----");
		assertThat(secrets.list()).isEmpty();
	}

	@Test
	void aPrivateKeyIsNeverShownAgain() throws Exception {
		TestPki.Issued issued = TestPki.ca("Edge", 365);
		String keyLine = issued.privateKeyPem().lines().skip(1).findFirst().orElseThrow();
		mvc.perform(multipart("/admin-settings/secrets").param("name", "edge-key")
			.param("purpose", "TLS_SERVER_KEY")
			.param("pem", issued.privateKeyPem())
			.with(csrf())).andExpect(status().is3xxRedirection());

		String page = mvc.perform(get("/admin-settings/secrets")).andReturn().getResponse().getContentAsString();
		assertThat(page).contains("edge-key").doesNotContain(keyLine).doesNotContain("BEGIN PRIVATE KEY");
	}

	@Test
	void theTrunkFormOffersTheCaCertificatesOnly() throws Exception {
		TestPki.Issued issued = TestPki.ca("Form Root", 365);
		long caId = secrets.upload(new SecretUpload("form-root", SecretPurpose.CA_CERT, issued.certificatePem())).id();
		secrets.upload(new SecretUpload("form-key", SecretPurpose.TLS_SERVER_KEY, issued.privateKeyPem()));

		String form = mvc.perform(get("/admin-settings/trunks/new"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(form).contains("<option value=\"" + caId + "\">form-root — CN=Form Root,O=Telpro Test (expires ")
			.doesNotContain("form-key");
	}

	@Test
	void refusesToDeleteASecretATrunkUsesNamingTheTrunk() throws Exception {
		long id = secrets
			.upload(new SecretUpload("in-use", SecretPurpose.CA_CERT, TestPki.ca("In Use Root", 365).certificatePem()))
			.id();
		Trunk trunk = new Trunk();
		trunk.setName("carrier-mtls");
		trunk.setIdentifyBy(Set.of(IdentifyMethod.SOURCE_IP));
		trunk.setAllowedIps(List.of("192.0.2.30/32"));
		trunk.setTlsCaSecretId(id);
		trunks.save(trunk);

		mvc.perform(post("/admin-settings/secrets/" + id + "/delete").with(csrf()))
			.andExpect(status().is3xxRedirection())
			.andExpect(flash().attribute("error", Matchers.containsString("carrier-mtls")));
		assertThat(secrets.list()).hasSize(1);

		trunks.deleteAll();
		mvc.perform(post("/admin-settings/secrets/" + id + "/delete").with(csrf()))
			.andExpect(flash().attribute("message", "Secret deleted."));
		assertThat(secrets.list()).isEmpty();
	}

}
