package com.telpro.control.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
class ApiTokenTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ObjectMapper json;

	@BeforeEach
	void users() {
		new TestUsers(jdbc).ensure();
	}

	@Test
	void aTokenIsShownOnceStoredHashedAndWorksAsBearerAndAsBasicPassword() throws Exception {
		JsonNode created = createToken("deploy-script");
		String token = created.get("token").asText();
		long id = created.get("id").asLong();
		assertThat(token).startsWith("tp_").hasSizeGreaterThan(40);
		assertThat(created.get("prefix").asText()).isEqualTo(token.substring(0, 10));

		String stored = jdbc.queryForObject("select token_hash from api_token where id = ?", String.class, id);
		assertThat(stored).isEqualTo(ApiTokenService.hash(token)).doesNotContain(token.substring(3));
		assertThat(jdbc.queryForObject("select count(*) from api_token where token_hash = ? or token_prefix = ?",
				Integer.class, token, token))
			.isZero();

		String listing = mvc.perform(get("/api/tokens").with(TestUsers.asAdmin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(listing).contains("deploy-script").doesNotContain(token);

		mvc.perform(get("/api/users").header("Authorization", "Bearer " + token)).andExpect(status().isOk());
		mvc.perform(get("/api/users").with(httpBasic(TestUsers.ADMIN, token))).andExpect(status().isOk());
		mvc.perform(get("/api/users").with(httpBasic(TestUsers.VIEWER, token))).andExpect(status().isUnauthorized());
	}

	@Test
	void revocationTakesEffectOnTheVeryNextRequest() throws Exception {
		String token = createToken("to-revoke").get("token").asText();
		long id = jdbc.queryForObject("select id from api_token where token_hash = ?", Long.class,
				ApiTokenService.hash(token));
		mvc.perform(get("/api/users").header("Authorization", "Bearer " + token)).andExpect(status().isOk());

		mvc.perform(delete("/api/tokens/" + id).header("Authorization", "Bearer " + token))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.revoked_at").isNotEmpty());

		mvc.perform(get("/api/users").header("Authorization", "Bearer " + token))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.status").value(401));
		mvc.perform(get("/api/users").with(httpBasic(TestUsers.ADMIN, token))).andExpect(status().isUnauthorized());
	}

	@Test
	void aUserRevokesOnlyTheirOwnTokensAndAdminsRevokeOthersThroughTheUser() throws Exception {
		long other = new TestUsers(jdbc).upsert("token-owner", "token-owner-password", "admin");
		String body = mvc
			.perform(post("/api/users/" + other + "/tokens").with(TestUsers.asAdmin())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\": \"owners-script\"}"))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String othersToken = json.readTree(body).get("token").asText();
		long othersId = json.readTree(body).get("id").asLong();

		mvc.perform(delete("/api/tokens/" + othersId).with(TestUsers.asAdmin()))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.status").value(404));
		mvc.perform(get("/api/tokens/" + othersId).with(TestUsers.asAdmin())).andExpect(status().isNotFound());
		mvc.perform(get("/api/users").header("Authorization", "Bearer " + othersToken)).andExpect(status().isOk());

		mvc.perform(delete("/api/users/" + other + "/tokens/" + othersId).with(TestUsers.asAdmin()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.revoked_at").isNotEmpty());
		mvc.perform(get("/api/users").header("Authorization", "Bearer " + othersToken))
			.andExpect(status().isUnauthorized());
		mvc.perform(delete("/api/users/" + new TestUsers(jdbc).idOf(TestUsers.ADMIN) + "/tokens/" + othersId)
			.with(TestUsers.asAdmin())).andExpect(status().isNotFound());
	}

	@Test
	void aDisabledUsersTokensStopWorking() throws Exception {
		long id = new TestUsers(jdbc).upsert("script-user", "script-user-password", "viewer");
		String body = mvc
			.perform(post("/api/users/" + id + "/tokens").with(TestUsers.asAdmin())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\": \"nightly\"}"))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String token = json.readTree(body).get("token").asText();
		mvc.perform(get("/api/audit").header("Authorization", "Bearer " + token)).andExpect(status().isOk());
		jdbc.update("update app_user set enabled = false where id = ?", id);
		mvc.perform(get("/api/audit").header("Authorization", "Bearer " + token)).andExpect(status().isUnauthorized());
	}

	@Test
	void theApiIsStateless() throws Exception {
		var result = mvc.perform(get("/api/users").with(TestUsers.asAdmin())).andExpect(status().isOk()).andReturn();
		assertThat(result.getRequest().getSession(false)).isNull();
		assertThat(result.getResponse().getCookies()).isEmpty();
	}

	private JsonNode createToken(String name) throws Exception {
		String body = mvc
			.perform(post("/api/tokens").with(TestUsers.asAdmin())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\": \"" + name + "\"}"))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		return json.readTree(body);
	}

}
