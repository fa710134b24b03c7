package com.telpro.control.security;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
class AuditLogTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ObjectMapper json;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	TransactionTemplate transaction;

	Instant start;

	@BeforeEach
	void setUp() {
		new TestUsers(jdbc).ensure();
		jdbc.update("delete from app_user where username = 'audited-user'");
		start = Instant.now().minusMillis(1);
	}

	@Test
	void userAndTokenChangesAreAuditedWithWhoWhenWhereAndNoSecret() throws Exception {
		String password = "first-password-123";
		JsonNode user = body(mvc
			.perform(post("/api/users").with(TestUsers.asAdmin())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\": \"audited-user\", \"password\": \"" + password + "\", \"role\": \"viewer\"}"))
			.andExpect(status().isCreated()));
		long id = user.get("id").asLong();
		String newPassword = "second-password-456";
		mvc.perform(request(HttpMethod.PATCH, "/api/users/" + id).with(TestUsers.asAdmin())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"role\": \"admin\", \"password\": \"" + newPassword + "\"}")).andExpect(status().isOk());
		JsonNode token = body(mvc
			.perform(post("/api/users/" + id + "/tokens").with(TestUsers.asAdmin())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\": \"audited-token\"}"))
			.andExpect(status().isCreated()));
		String tokenValue = token.get("token").asText();
		mvc.perform(delete("/api/users/" + id + "/tokens/" + token.get("id").asLong()).with(TestUsers.asAdmin()))
			.andExpect(status().isOk());
		mvc.perform(delete("/api/users/" + id).with(TestUsers.asAdmin())).andExpect(status().isNoContent());

		JsonNode page = body(mvc
			.perform(get("/api/audit").with(TestUsers.asAdmin())
				.param("from", start.toString())
				.param("actor", TestUsers.ADMIN)
				.param("size", "200"))
			.andExpect(status().isOk()));
		List<String> actions = page.get("items").findValuesAsText("action");
		assertThat(actions).containsSubsequence("user.delete", "token.revoke", "token.create", "user.update",
				"user.create");
		for (JsonNode item : page.get("items")) {
			assertThat(item.get("actor").asText()).isEqualTo("admin");
			assertThat(item.get("remote_address").asText()).isEqualTo("127.0.0.1");
			assertThat(item.get("occurred_at").asText()).isNotEmpty();
		}
		String everything = page.toString()
				+ jdbc.queryForList("select before::text, after::text, diff::text from audit_log").toString();
		assertThat(everything).doesNotContain(password, newPassword, tokenValue, tokenValue.substring(10), "{bcrypt}");

		JsonNode update = first(page, "user.update");
		assertThat(update.at("/diff/role/before").asText()).isEqualTo("viewer");
		assertThat(update.at("/diff/role/after").asText()).isEqualTo("admin");
		assertThat(update.at("/diff/password_changed/after").asBoolean()).isTrue();
		assertThat(first(page, "user.delete").get("after").isNull()).isTrue();
		assertThat(first(page, "user.create").get("before").isNull()).isTrue();
		assertThat(first(page, "token.revoke").at("/diff/revoked/after").asBoolean()).isTrue();
	}

	@Test
	void everyKindOfChangeIsStoredWithSecretsMaskedEvenWhenThePublisherForgot() throws Exception {
		String marker = "kind-" + System.nanoTime();
		Map<String, Map<String, Object>> kinds = new LinkedHashMap<>();
		kinds.put("trunk.create", Map.of("name", marker, "auth_pass", "plain-trunk-pass"));
		kinds.put("trunk.update", Map.of("name", marker, "auth_pass", "***", "priority", 20));
		kinds.put("trunk.enable", Map.of("name", marker, "enabled", true));
		kinds.put("trunk.delete", Map.of("name", marker));
		kinds.put("sync.publish", Map.of("generation", 3, "content_hash", "abc"));
		kinds.put("secret.upload", Map.of("name", marker, "purpose", "ca_cert", "private_key", "-----BEGIN KEY"));
		kinds.put("secret.delete", Map.of("name", marker));
		kinds.put("subscriber.update", Map.of("username", marker, "ha1", "ha1-hash-value", "password", "sub-pass"));
		transaction.executeWithoutResult(status -> kinds.forEach((action, after) -> events
			.publishEvent(new AuditableChange(action, action.substring(0, action.indexOf('.')), marker,
					Map.of("name", marker, "auth_pass", "old-plain-pass"), after))));

		List<Map<String, Object>> rows = jdbc.queryForList(
				"select action, actor, before::text b, after::text a, diff::text d from audit_log where target_id = ?",
				marker);
		assertThat(rows).extracting(r -> r.get("action")).containsExactlyInAnyOrderElementsOf(kinds.keySet());
		assertThat(rows).allSatisfy(row -> {
			assertThat(row.get("actor")).isEqualTo("system");
			String stored = row.get("b") + " " + row.get("a") + " " + row.get("d");
			assertThat(stored).doesNotContain("plain-trunk-pass", "old-plain-pass", "BEGIN KEY", "ha1-hash-value",
					"sub-pass");
		});
	}

	@Test
	void aRolledBackChangeLeavesNoAuditRow() {
		String marker = "rollback-" + System.nanoTime();
		assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
			events.publishEvent(new AuditableChange("trunk.create", "trunk", marker, null, Map.of("name", marker)));
			throw new IllegalStateException("the change failed");
		})).isInstanceOf(IllegalStateException.class);
		assertThat(jdbc.queryForObject("select count(*) from audit_log where target_id = ?", Integer.class, marker))
			.isZero();
	}

	@Test
	void theAuditTableIsAppendOnly() {
		events.publishEvent(new AuditableChange("trunk.create", "trunk", "append-only", null, Map.of("name", "x")));
		assertThatThrownBy(
				() -> jdbc.update("update audit_log set actor = 'someone-else' where target_id = 'append-only'"))
			.hasMessageContaining("append-only");
		assertThatThrownBy(() -> jdbc.update("delete from audit_log where target_id = 'append-only'"))
			.hasMessageContaining("append-only");
		assertThatThrownBy(() -> jdbc.execute("truncate audit_log")).hasMessageContaining("append-only");
		assertThat(AuditRepository.class.getMethods()).extracting(java.lang.reflect.Method::getName)
			.doesNotContain("delete", "deleteAll", "deleteById", "saveAll");
	}

	@Test
	void theApiFiltersByActorActionTargetAndTimeAndPages() throws Exception {
		String marker = "filter-" + System.nanoTime();
		for (int i = 0; i < 3; i++) {
			events.publishEvent(new AuditableChange("trunk.update", "trunk", marker, null, Map.of("n", i)));
		}
		events.publishEvent(new AuditableChange("trunk.delete", "trunk", marker, Map.of("n", 9), null));

		JsonNode all = body(mvc.perform(
				get("/api/audit").with(TestUsers.asViewer()).param("target_type", "trunk").param("target_id", marker))
			.andExpect(status().isOk()));
		assertThat(all.get("total_items").asInt()).isEqualTo(4);
		assertThat(all.get("items").get(0).get("action").asText()).as("newest first").isEqualTo("trunk.delete");

		JsonNode updates = body(mvc
			.perform(get("/api/audit").with(TestUsers.asViewer())
				.param("target_id", marker)
				.param("action", "trunk.update")
				.param("size", "2")
				.param("page", "1"))
			.andExpect(status().isOk()));
		assertThat(updates.get("total_items").asInt()).isEqualTo(3);
		assertThat(updates.get("total_pages").asInt()).isEqualTo(2);
		assertThat(updates.get("items")).hasSize(1);

		JsonNode none = body(mvc
			.perform(get("/api/audit").with(TestUsers.asViewer()).param("target_id", marker).param("actor", "nobody"))
			.andExpect(status().isOk()));
		assertThat(none.get("total_items").asInt()).isZero();
		JsonNode future = body(mvc
			.perform(get("/api/audit").with(TestUsers.asViewer())
				.param("target_id", marker)
				.param("from", Instant.now().plusSeconds(60).toString()))
			.andExpect(status().isOk()));
		assertThat(future.get("total_items").asInt()).isZero();
		JsonNode past = body(mvc
			.perform(get("/api/audit").with(TestUsers.asViewer())
				.param("target_id", marker)
				.param("to", Instant.now().plusSeconds(60).toString()))
			.andExpect(status().isOk()));
		assertThat(past.get("total_items").asInt()).isEqualTo(4);

		String html = mvc.perform(get("/admin-settings/audit").with(TestUsers.asViewer()).param("target_id", marker))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).contains("4 entries").contains("trunk.delete");
	}

	private JsonNode body(org.springframework.test.web.servlet.ResultActions result) throws Exception {
		return json.readTree(result.andReturn().getResponse().getContentAsString());
	}

	private static JsonNode first(JsonNode page, String action) {
		for (JsonNode item : page.get("items")) {
			if (item.get("action").asText().equals(action)) {
				return item;
			}
		}
		throw new AssertionError("no " + action + " in " + page);
	}

}
