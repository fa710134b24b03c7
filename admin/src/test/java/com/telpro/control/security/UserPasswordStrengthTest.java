package com.telpro.control.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;

import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Admin users' passwords go through zxcvbn: common and trivially guessable ones are a
 * field error.
 */
@SpringBootTest
@AutoConfigureMockMvc
class UserPasswordStrengthTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void users() {
		new TestUsers(jdbc).ensure();
		jdbc.update("delete from app_user where username = 'weak-user'");
	}

	@Test
	void guessablePasswordsAreRefusedWithAFieldErrorSayingWhy() throws Exception {
		for (String weak : List.of("aaaaaaaaaa", "1234567890", "password123", "weak-user-1")) {
			mvc.perform(post("/api/users").with(TestUsers.asAdmin())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\": \"weak-user\", \"password\": \"" + weak + "\", \"role\": \"viewer\"}"))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.errors[0].field").value("password"))
				.andExpect(jsonPath("$.errors[0].message").value(containsString("too easy to guess")));
		}
		assertThat(jdbc.queryForObject("select count(*) from app_user where username = 'weak-user'", Integer.class))
			.isZero();

		long admin = new TestUsers(jdbc).idOf(TestUsers.ADMIN);
		mvc.perform(patch("/api/users/" + admin).with(TestUsers.asAdmin())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"password\": \"aaaaaaaaaa\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("password"));

		mvc.perform(post("/api/users").with(TestUsers.asAdmin())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\": \"weak-user\", \"password\": \"orchid-lantern-subway\", \"role\": \"viewer\"}"))
			.andExpect(status().isCreated());
	}

}
