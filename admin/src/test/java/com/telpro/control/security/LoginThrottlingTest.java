package com.telpro.control.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.support.TestUsers;
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
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest(properties = { "telpro.security.throttle.max-failures-per-user=3",
		"telpro.security.throttle.max-failures-per-address=6", "telpro.security.throttle.slowdown-step=10ms",
		"telpro.security.throttle.max-slowdown=100ms" })
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class LoginThrottlingTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ObjectMapper json;

	TestUsers users;

	@BeforeEach
	void users() {
		users = new TestUsers(jdbc).ensure();
	}

	@Test
	void afterNFailuresTheUserIsLockedAtThatAddressEvenWithTheRightPassword(CapturedOutput output) throws Exception {
		users.upsert("throttled-api", "throttled-api-password", "admin");
		mvc.perform(get("/api/users").with(httpBasic("throttled-api", "throttled-api-password")).with(from("10.1.0.1")))
			.andExpect(status().isOk());
		for (int i = 0; i < 3; i++) {
			mvc.perform(get("/api/users").with(httpBasic("throttled-api", "wrong-" + i)).with(from("10.1.0.2")))
				.andExpect(status().isUnauthorized());
		}
		mvc.perform(get("/api/users").with(httpBasic("throttled-api", "throttled-api-password")).with(from("10.1.0.2")))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.detail").value("Too many failed logins; try again later"));
		mvc.perform(get("/api/users").with(httpBasic("throttled-api", "throttled-api-password")).with(from("10.1.0.9")))
			.andExpect(status().isOk());
		mvc.perform(get("/api/users").with(httpBasic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD)).with(from("10.1.0.2")))
			.andExpect(status().isOk());
		assertThat(output).contains("Login failed: user 'throttled-api'")
			.contains("User 'throttled-api' locked at 10.1.0.2")
			.doesNotContain("throttled-api-password")
			.doesNotContain("wrong-1");
	}

	@Test
	void theLoginFormSaysLockedAfterNFailures() throws Exception {
		users.upsert("throttled-form", "throttled-form-password", "viewer");
		for (int i = 0; i < 3; i++) {
			mvc.perform(post("/login").with(csrf())
				.with(from("10.2.0.1"))
				.param("username", "throttled-form")
				.param("password", "wrong")).andExpect(redirectedUrl("/login?error"));
		}
		mvc.perform(post("/login").with(csrf())
			.with(from("10.2.0.1"))
			.param("username", "throttled-form")
			.param("password", "throttled-form-password")).andExpect(redirectedUrl("/login?locked"));
	}

	/**
	 * Behind one NAT: someone fails 25 logins; the admin's password and a valid token
	 * still work.
	 */
	@Test
	void anAddressTryingManyNamesIsSlowedButItsAdminAndTokensStillGetIn(CapturedOutput output) throws Exception {
		String token = json.readTree(mvc
			.perform(post("/api/tokens").with(httpBasic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD))
				.with(from("10.3.0.9"))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\":\"ci\"}"))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString()).get("token").asText();
		for (int i = 0; i < 25; i++) {
			mvc.perform(get("/api/users").with(httpBasic("guess" + i % 5, "guess-" + i)).with(from("10.3.0.1")))
				.andExpect(status().isUnauthorized());
		}
		mvc.perform(get("/api/users").with(httpBasic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD)).with(from("10.3.0.1")))
			.andExpect(status().isOk());
		mvc.perform(get("/api/users").header("Authorization", "Bearer " + token).with(from("10.3.0.1")))
			.andExpect(status().isOk());
		mvc.perform(get("/api/users").with(httpBasic(TestUsers.ADMIN, token)).with(from("10.3.0.1")))
			.andExpect(status().isOk());
		assertThat(output).contains("Address 10.3.0.1 slowed down after 6 failed logins");
	}

	@Test
	void invalidBearerTokensNeverLockTheAddress() throws Exception {
		for (int i = 0; i < 6; i++) {
			mvc.perform(get("/api/users").header("Authorization", "Bearer tp_guess" + i).with(from("10.4.0.1")))
				.andExpect(status().isUnauthorized());
		}
		mvc.perform(get("/api/users").with(httpBasic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD)).with(from("10.4.0.1")))
			.andExpect(status().isOk());
	}

	@Test
	void logLinesCannotBeForgedThroughTheUserName(CapturedOutput output) throws Exception {
		mvc.perform(get("/api/users").with(httpBasic("evil\nINFO forged line", "x")).with(from("10.5.0.1")))
			.andExpect(status().isUnauthorized());
		assertThat(output).contains("evil_INFO forged line").doesNotContain("evil\nINFO");
	}

	private static RequestPostProcessor from(String address) {
		return request -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

}
