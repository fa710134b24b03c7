package com.telpro.control.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.contract.Certificates;
import com.telpro.contract.PemBlock;
import com.telpro.control.security.AuditableChange;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@SpringBootTest
@WithMockUser(username = "admin", roles = "ADMIN")
@AutoConfigureMockMvc
@RecordApplicationEvents
@ExtendWith(OutputCaptureExtension.class)
class SecretApiTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TrunkRepository trunks;

	@Autowired
	SecretCipher cipher;

	@Autowired
	ObjectMapper json;

	@Autowired
	ApplicationEvents events;

	@BeforeEach
	void clean() {
		trunks.deleteAll();
		jdbc.update("delete from platform_secret");
	}

	@Test
	void uploadsACaAndShowsSubjectIssuerValidityAndFingerprint() throws Exception {
		TestPki.Issued ca = TestPki.ca("Carrier Root CA", 365);
		String fingerprint = Certificates
			.fingerprint(Certificates.parse(PemBlock.parseAll(ca.certificatePem()).get(0).der()));

		String location = upload("carrier-root", "CA_CERT", ca.certificatePem()).andExpect(status().isCreated())
			.andExpect(jsonPath("$.name").value("carrier-root"))
			.andExpect(jsonPath("$.purpose").value("CA_CERT"))
			.andExpect(jsonPath("$.subject").value("CN=Carrier Root CA,O=Telpro Test"))
			.andExpect(jsonPath("$.issuer").value("CN=Carrier Root CA,O=Telpro Test"))
			.andExpect(jsonPath("$.not_before").isNotEmpty())
			.andExpect(jsonPath("$.not_after").isNotEmpty())
			.andExpect(jsonPath("$.fingerprint_sha256").value(fingerprint))
			.andExpect(jsonPath("$.expires_soon").value(false))
			.andExpect(jsonPath("$.warnings").isEmpty())
			.andExpect(jsonPath("$.pem").doesNotExist())
			.andReturn()
			.getResponse()
			.getHeader("Location");

		mvc.perform(get(location))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.fingerprint_sha256").value(fingerprint));
		mvc.perform(get("/api/secrets"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[0].subject").value("CN=Carrier Root CA,O=Telpro Test"));
	}

	@Test
	void storesTheMaterialOnlyAsCiphertext() throws Exception {
		TestPki.Issued ca = TestPki.ca("Stored Root", 365);
		upload("stored", "CA_CERT", ca.certificatePem()).andExpect(status().isCreated());

		String column = jdbc.queryForObject("select material_encrypted from platform_secret where name = 'stored'",
				String.class);
		String body = PemInspectorTests.keyBody(ca.certificatePem());
		assertThat(column).doesNotContain("BEGIN").doesNotContain(body.substring(0, 20));
		assertThat(cipher.decrypt(column)).contains(body);
	}

	@Test
	void refusesALeafCertificateAsCaWithAFieldError() throws Exception {
		upload("leaf", "CA_CERT", TestPki.leaf("sip.example.com").certificatePem()).andExpect(status().isBadRequest())
			.andExpect(header().string("Content-Type", Matchers.containsString("application/problem+json")))
			.andExpect(jsonPath("$.errors[0].field").value("pem"))
			.andExpect(jsonPath("$.errors[0].message").value(Matchers.containsString("not a CA certificate")));
		assertThat(count()).isZero();
	}

	@Test
	void refusesGarbageAndAnUnknownPurpose() throws Exception {
		upload("garbage", "CA_CERT", "this is not a certificate").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("pem"));
		upload("garbage", "CA_CERT",
				"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZm9v\n-----END CERTIFICATE-----\n")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("pem"));
		upload("purpose", "ROOT_CA", TestPki.ca("x", 30).certificatePem()).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("purpose"));
		upload("", "CA_CERT", TestPki.ca("x", 30).certificatePem()).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("name"));
		assertThat(count()).isZero();
	}

	@Test
	void warnsOnACaExpiringWithinThirtyDays() throws Exception {
		upload("short-lived", "CA_CERT", TestPki.ca("Short Lived CA", 10).certificatePem())
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.expires_soon").value(true))
			.andExpect(jsonPath("$.expires_in_days").value(Matchers.either(Matchers.is(9)).or(Matchers.is(10))))
			.andExpect(jsonPath("$.warnings[0]").value(Matchers.startsWith("expires in")));
	}

	@Test
	void refusesADuplicateName() throws Exception {
		upload("dup", "CA_CERT", TestPki.ca("A", 30).certificatePem()).andExpect(status().isCreated());
		upload("dup", "CA_CERT", TestPki.ca("B", 30).certificatePem()).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("name"));
		assertThat(count()).isOne();
	}

	@Test
	void neverReturnsOrLogsAPrivateKey(CapturedOutput output) throws Exception {
		TestPki.Issued issued = TestPki.ca("Edge", 365);
		String keyLine = PemInspectorTests.keyBody(issued.privateKeyPem());

		String created = upload("edge-key", "TLS_SERVER_KEY", issued.privateKeyPem()).andExpect(status().isCreated())
			.andExpect(jsonPath("$.key_algorithm").value("EC"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = json.readTree(created).get("id").asLong();
		// A key slipped into a certificate upload is refused without being echoed.
		String refused = upload("mixed", "CA_CERT", issued.certificatePem() + issued.privateKeyPem())
			.andExpect(status().isBadRequest())
			.andReturn()
			.getResponse()
			.getContentAsString();

		String listed = mvc.perform(get("/api/secrets")).andReturn().getResponse().getContentAsString();
		String shown = mvc.perform(get("/api/secrets/" + id)).andReturn().getResponse().getContentAsString();
		for (String text : List.of(created, refused, listed, shown, output.getAll())) {
			assertThat(text).doesNotContain("PRIVATE KEY").doesNotContain(keyLine);
		}
		String column = jdbc.queryForObject("select material_encrypted from platform_secret where id = ?", String.class,
				id);
		assertThat(column).doesNotContain("PRIVATE KEY").doesNotContain(keyLine);
		assertThat(events.stream(AuditableChange.class)).allSatisfy(
				change -> assertThat(String.valueOf(change.after())).doesNotContain("PRIVATE").doesNotContain(keyLine));
	}

	@Test
	void refusesToDeleteASecretATrunkReferencesNamingTheTrunk() throws Exception {
		long id = createdId(upload("in-use", "CA_CERT", TestPki.ca("In Use", 365).certificatePem()));
		trunk("twilio-tls", id);

		mvc.perform(delete("/api/secrets/" + id))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.detail").value(Matchers.containsString("twilio-tls")))
			.andExpect(jsonPath("$.trunks[0]").value("twilio-tls"));
		assertThat(count()).isOne();
		mvc.perform(get("/api/secrets/" + id)).andExpect(jsonPath("$.referenced_by[0]").value("twilio-tls"));
	}

	@Test
	void deletesAnUnreferencedSecretAndAuditsUploadAndDeleteWithMetadataOnly() throws Exception {
		TestPki.Issued ca = TestPki.ca("Old Root", 365);
		long id = createdId(upload("old-root", "CA_CERT", ca.certificatePem()));

		mvc.perform(delete("/api/secrets/" + id)).andExpect(status().isNoContent());
		mvc.perform(get("/api/secrets/" + id)).andExpect(status().isNotFound());
		mvc.perform(delete("/api/secrets/" + id)).andExpect(status().isNotFound());

		List<AuditableChange> changes = events.stream(AuditableChange.class).toList();
		assertThat(changes).extracting(AuditableChange::action).containsExactly("secret.upload", "secret.delete");
		assertThat(changes).allSatisfy(change -> {
			assertThat(change.targetType()).isEqualTo("platform_secret");
			assertThat(change.targetId()).isEqualTo(String.valueOf(id));
		});
		Map<String, Object> uploaded = changes.get(0).after();
		assertThat(uploaded).containsEntry("name", "old-root")
			.containsEntry("purpose", "CA_CERT")
			.containsEntry("material", "***");
		assertThat(changes.get(1).before()).containsEntry("name", "old-root");
		assertThat(changes.get(1).after()).isNull();
		String body = PemInspectorTests.keyBody(ca.certificatePem());
		assertThat(String.valueOf(changes)).doesNotContain("BEGIN").doesNotContain(body);
	}

	@Test
	void tellsOtherFeaturesAboutCaCertificates(@Autowired PlatformSecretService service) throws Exception {
		TestPki.Issued ca = TestPki.ca("Lookup Root", 365);
		long caId = createdId(upload("lookup-root", "CA_CERT", ca.certificatePem()));
		long keyId = createdId(upload("lookup-key", "TLS_SERVER_KEY", ca.privateKeyPem()));
		String fingerprint = Certificates
			.fingerprint(Certificates.parse(PemBlock.parseAll(ca.certificatePem()).get(0).der()));

		assertThat(service.isCaCertificate(caId)).isTrue();
		assertThat(service.isCaCertificate(keyId)).isFalse();
		assertThat(service.isCaCertificate(caId + keyId + 1000)).isFalse();
		assertThat(service.caFingerprint(caId)).contains(fingerprint);
		assertThat(service.caFingerprint(keyId)).isEmpty();
		assertThat(service.caFingerprint(null)).isEmpty();
		assertThat(service.caCertificates()).extracting(CaCertificateInfo::id).containsExactly(caId);

		assertThat(service.caBundle(List.of()).pem()).isEmpty();
		CaBundle bundle = service.caBundle(List.of(caId, keyId, caId));
		assertThat(bundle.secretIds()).containsExactly(caId);
		assertThat(bundle.pem())
			.isEqualTo(Certificates.toPem("CERTIFICATE", PemBlock.parseAll(ca.certificatePem()).get(0).der()));
		assertThat(bundle.sha256()).isEqualTo(Certificates.sha256Hex(bundle.pem()));
	}

	private ResultActions upload(String name, String purpose, String pem) throws Exception {
		return mvc.perform(post("/api/secrets").contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", name, "purpose", purpose, "pem", pem))));
	}

	private long createdId(ResultActions result) throws Exception {
		String body = result.andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
		return json.readTree(body).get("id").asLong();
	}

	private Trunk trunk(String name, long caSecretId) {
		Trunk trunk = new Trunk();
		trunk.setName(name);
		trunk.setIdentifyBy(Set.of(IdentifyMethod.SOURCE_IP));
		trunk.setAllowedIps(List.of("192.0.2.10/32"));
		trunk.setRequireTls(true);
		trunk.setVerifyPeer(true);
		trunk.setTlsCaSecretId(caSecretId);
		return trunks.save(trunk);
	}

	private int count() {
		return jdbc.queryForObject("select count(*) from platform_secret", Integer.class);
	}

}
