package com.telpro.control.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.common.DigestHashes;
import com.telpro.control.secret.TestPki;
import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The other features' changes (trunks, sync, subscribers, platform secrets), made through
 * their real APIs, land in the audit log without a secret.
 */
@SpringBootTest
@AutoConfigureMockMvc
class AuditedChangesTest {

	private static final String TRUNK_PASS = "trunk-digest-pass-4711";

	private static final String TRUNK_PASS_2 = "trunk-digest-pass-0815";

	private static final String SUB_PASS = "subscriber-pass-2718";

	private static final String SUB_PASS_2 = "subscriber-pass-3141";

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ObjectMapper json;

	Instant start;

	@BeforeEach
	void setUp() {
		new TestUsers(jdbc).ensure();
		jdbc.update("delete from trunk where name = 'Audited carrier'");
		jdbc.update("delete from subscriber where domain = 'audit.example.com'");
		jdbc.update("delete from platform_secret where name = 'audited-key'");
		start = Instant.now().minusMillis(1);
	}

	@Test
	void trunkSyncAndSubscriberChangesAreAuditedWithoutSecrets() throws Exception {
		Map<String, Object> trunk = new LinkedHashMap<>();
		trunk.put("name", "Audited carrier");
		trunk.put("identify_by", List.of("source_ip"));
		trunk.put("allowed_ips", List.of("198.51.100.0/24"));
		trunk.put("auth_method", "ip_and_digest");
		trunk.put("auth_realm", "carrier.example");
		trunk.put("auth_user", "carrier");
		trunk.put("auth_pass", TRUNK_PASS);
		JsonNode created = body(mvc
			.perform(post("/api/trunks").with(TestUsers.asAdmin())
				.contentType(MediaType.APPLICATION_JSON)
				.content(json.writeValueAsString(trunk)))
			.andExpect(status().isCreated()));
		long id = created.get("id").asLong();
		trunk.put("version", created.get("version").asLong());
		trunk.put("auth_pass", TRUNK_PASS_2);
		trunk.put("priority", 30);
		mvc.perform(put("/api/trunks/" + id).with(TestUsers.asAdmin())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(trunk))).andExpect(status().isOk());
		mvc.perform(post("/api/trunks/" + id + "/disable").with(TestUsers.asAdmin())).andExpect(status().isOk());
		mvc.perform(post("/api/trunks/" + id + "/enable").with(TestUsers.asAdmin())).andExpect(status().isOk());
		mvc.perform(post("/api/sync").with(TestUsers.asAdmin())).andExpect(status().isOk());
		mvc.perform(delete("/api/trunks/" + id).with(TestUsers.asAdmin())).andExpect(status().is2xxSuccessful());

		long subscriber = body(mvc
			.perform(post("/api/subscribers").with(TestUsers.asAdmin())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\":\"7001\",\"domain\":\"audit.example.com\",\"password\":\"" + SUB_PASS + "\"}"))
			.andExpect(status().isCreated())).get("id").asLong();
		mvc.perform(put("/api/subscribers/" + subscriber + "/password").with(TestUsers.asAdmin())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"password\":\"" + SUB_PASS_2 + "\"}")).andExpect(status().is2xxSuccessful());
		mvc.perform(delete("/api/subscribers/" + subscriber).with(TestUsers.asAdmin()))
			.andExpect(status().is2xxSuccessful());

		TestPki.Issued pki = TestPki.ca("Audited CA", 30);
		long secret = body(mvc
			.perform(post("/api/secrets").with(TestUsers.asAdmin())
				.contentType(MediaType.APPLICATION_JSON)
				.content(json.writeValueAsString(
						Map.of("name", "audited-key", "purpose", "TLS_SERVER_KEY", "pem", pki.privateKeyPem()))))
			.andExpect(status().isCreated())).get("id").asLong();
		mvc.perform(delete("/api/secrets/" + secret).with(TestUsers.asAdmin())).andExpect(status().is2xxSuccessful());
		String keyLine = pki.privateKeyPem().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();

		JsonNode page = body(mvc
			.perform(get("/api/audit").with(TestUsers.asViewer())
				.param("from", start.toString())
				.param("actor", TestUsers.ADMIN)
				.param("size", "200"))
			.andExpect(status().isOk()));
		List<String> actions = page.get("items").findValuesAsText("action");
		assertThat(actions).contains("trunk.create", "trunk.update", "trunk.disable", "trunk.enable", "sync.publish",
				"trunk.delete", "subscriber.create", "subscriber.delete", "secret.upload", "secret.delete");
		assertThat(actions).anyMatch(
				a -> a.startsWith("subscriber.") && !a.equals("subscriber.create") && !a.equals("subscriber.delete"));
		for (JsonNode item : page.get("items")) {
			assertThat(item.get("remote_address").asText()).isEqualTo("127.0.0.1");
		}

		String stored = jdbc
			.queryForList("select coalesce(before::text, '') || coalesce(after::text, '') || diff::text as t "
					+ "from audit_log where occurred_at >= ?", String.class, java.sql.Timestamp.from(start))
			.toString();
		String ha1 = DigestHashes.ha1("7001", "audit.example.com", SUB_PASS);
		assertThat(stored).contains("Audited carrier", "audited-key")
			.doesNotContain(TRUNK_PASS, TRUNK_PASS_2, SUB_PASS, SUB_PASS_2, ha1, keyLine, "PRIVATE KEY");
		assertThat(page.toString()).doesNotContain(TRUNK_PASS, TRUNK_PASS_2, SUB_PASS, SUB_PASS_2, ha1, keyLine,
				"PRIVATE KEY");
	}

	private JsonNode body(ResultActions result) throws Exception {
		return json.readTree(result.andReturn().getResponse().getContentAsString());
	}

}
