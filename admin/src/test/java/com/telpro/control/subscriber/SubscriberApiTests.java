package com.telpro.control.subscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;

import com.telpro.control.common.DigestHashes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

@SpringBootTest
@AutoConfigureMockMvc
@WithMockUser(username = "admin", roles = "ADMIN")
class SubscriberApiTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void clean() {
		jdbc.update("delete from subscriber");
	}

	@Test
	void storesOnlyTheDigestHashesAndNeverReturnsThem() throws Exception {
		String body = mvc
			.perform(post("/api/subscribers").contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\":\"1001\",\"domain\":\"sip.example.com\",\"password\":\"test1234pass-ocelot\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.aor").value("1001@sip.example.com"))
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(body).doesNotContain("test1234pass-ocelot").doesNotContain("ha1");
		Map<String, Object> row = jdbc
			.queryForMap("select password, ha1, ha1b from subscriber where username = '1001'");
		assertThat(row.get("password")).isEqualTo("");
		assertThat(row.get("ha1")).isEqualTo(DigestHashes.ha1("1001", "sip.example.com", "test1234pass-ocelot"));
		assertThat(row.get("ha1b"))
			.isEqualTo(DigestHashes.ha1("1001@sip.example.com", "sip.example.com", "test1234pass-ocelot"));
		assertThat(DigestHashes.ha1("1001", "sip.example.com", "test1234pass-ocelot")).hasSize(32)
			.isNotEqualTo("test1234pass-ocelot");
	}

	@Test
	void passwordChangeReplacesTheHashes() throws Exception {
		int id = create("1002", "sip.example.com", "first-password");
		String before = jdbc.queryForObject("select ha1 from subscriber where id = ?", String.class, id);

		mvc.perform(put("/api/subscribers/" + id + "/password").contentType(MediaType.APPLICATION_JSON)
			.content("{\"password\":\"second-password\"}")).andExpect(status().isNoContent());

		String after = jdbc.queryForObject("select ha1 from subscriber where id = ?", String.class, id);
		assertThat(after).isNotEqualTo(before)
			.isEqualTo(DigestHashes.ha1("1002", "sip.example.com", "second-password"));
	}

	@Test
	void thePasswordChangeShowsInTheAuditDiffWithoutThePassword() throws Exception {
		int id = create("1005", "sip.example.com", "first-password");

		mvc.perform(put("/api/subscribers/" + id + "/password").contentType(MediaType.APPLICATION_JSON)
			.content("{\"password\":\"second-password\"}")).andExpect(status().isNoContent());

		Map<String, Object> audit = jdbc.queryForMap("select after::text as after, diff::text as diff from audit_log "
				+ "where action = 'subscriber.password' and target_id = '1005@sip.example.com' order by id desc limit 1");
		assertThat((String) audit.get("diff")).contains("password_changed");
		assertThat((String) audit.get("after")).contains("\"password_changed\": true");
		assertThat(audit.toString()).doesNotContain("second-password")
			.doesNotContain(DigestHashes.ha1("1005", "sip.example.com", "second-password"));
	}

	@Test
	void commonAndTriviallyGuessablePasswordsAreRefusedWithAFieldError() throws Exception {
		for (String weak : List.of("aaaaaaaaaa", "1234567890", "password1", "qwertyuiop")) {
			mvc.perform(post("/api/subscribers").contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\":\"1006\",\"domain\":\"sip.example.com\",\"password\":\"" + weak + "\"}"))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.errors[0].field").value("password"))
				.andExpect(jsonPath("$.errors[0].message")
					.value(org.hamcrest.Matchers.startsWith("is too easy to guess")));
		}
		assertThat(jdbc.queryForObject("select count(*) from subscriber", Integer.class)).isZero();

		int id = create("1007", "sip.example.com", "first-password");
		mvc.perform(put("/api/subscribers/" + id + "/password").contentType(MediaType.APPLICATION_JSON)
			.content("{\"password\":\"aaaaaaaaaa\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("password"));
	}

	@Test
	void badInputIsRefusedFieldByFieldAndStoresNothing() throws Exception {
		for (String bad : List.of(
				"{\"username\":\"bad user\",\"domain\":\"sip.example.com\",\"password\":\"long-enough\"}",
				"{\"username\":\"1003\",\"domain\":\"not a domain\",\"password\":\"long-enough\"}",
				"{\"username\":\"1003\",\"domain\":\"sip.example.com\",\"password\":\"short\"}")) {
			String field = bad.contains("bad user") ? "username" : bad.contains("not a domain") ? "domain" : "password";
			String problem = mvc.perform(post("/api/subscribers").contentType(MediaType.APPLICATION_JSON).content(bad))
				.andExpect(status().isBadRequest())
				.andReturn()
				.getResponse()
				.getContentAsString();
			assertThat(problem).contains("\"" + field + "\"");
		}
		assertThat(jdbc.queryForObject("select count(*) from subscriber", Integer.class)).isZero();
	}

	@Test
	void duplicateAccountIsAConflictAndDeleteRemovesIt() throws Exception {
		int id = create("1004", "sip.example.com", "some-password");
		mvc.perform(post("/api/subscribers").contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"1004\",\"domain\":\"SIP.example.com\",\"password\":\"other-password\"}"))
			.andExpect(status().isConflict());

		mvc.perform(delete("/api/subscribers/" + id)).andExpect(status().isNoContent());
		mvc.perform(get("/api/subscribers/" + id)).andExpect(status().isNotFound());
		assertThat(jdbc.queryForObject("select count(*) from subscriber", Integer.class)).isZero();
	}

	private int create(String username, String domain, String password) throws Exception {
		mvc.perform(post("/api/subscribers").contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"" + username + "\",\"domain\":\"" + domain + "\",\"password\":\"" + password
					+ "\"}"))
			.andExpect(status().isCreated());
		return jdbc.queryForObject("select id from subscriber where username = ?", Integer.class, username);
	}

}
