package com.telpro.control.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.telpro.control.common.DigestHashes;
import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

@SpringBootTest
@AutoConfigureMockMvc
class SubscriberAdminControllerTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void setUp() {
		new TestUsers(jdbc).ensure();
		jdbc.update("delete from subscriber where domain = 'page.example.com'");
	}

	@Test
	void anAdminAddsChangesAndRemovesASipAccountThroughTheForms() throws Exception {
		mvc.perform(post("/admin-settings/subscribers").with(TestUsers.asAdmin())
			.with(csrf())
			.param("username", "2001")
			.param("domain", "page.example.com")
			.param("password", "page-password-1")).andExpect(flash().attribute("message", "Subscriber 2001 added."));
		int id = jdbc.queryForObject(
				"select id from subscriber where username = '2001' and domain = 'page.example.com'", Integer.class);
		String page = mvc.perform(get("/admin-settings/subscribers").with(TestUsers.asViewer()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("2001@page.example.com")
			.doesNotContain("page-password-1")
			.doesNotContain(DigestHashes.ha1("2001", "page.example.com", "page-password-1"));

		mvc.perform(post("/admin-settings/subscribers/" + id + "/password").with(TestUsers.asAdmin())
			.with(csrf())
			.param("password", "page-password-2"))
			.andExpect(flash().attribute("message", "Password changed; it applies at the phone's next REGISTER."));
		assertThat(jdbc.queryForObject("select ha1 from subscriber where id = ?", String.class, id))
			.isEqualTo(DigestHashes.ha1("2001", "page.example.com", "page-password-2"));

		mvc.perform(post("/admin-settings/subscribers/" + id + "/delete").with(TestUsers.asAdmin()).with(csrf()))
			.andExpect(flash().attribute("message", "Subscriber removed."));
		assertThat(jdbc.queryForObject("select count(*) from subscriber where id = ?", Integer.class, id)).isZero();
	}

	@Test
	void badFieldsAreShownNextToTheirInputsAndNothingIsStored() throws Exception {
		String page = mvc
			.perform(post("/admin-settings/subscribers").with(TestUsers.asAdmin())
				.with(csrf())
				.param("username", "bad user")
				.param("domain", "page.example.com")
				.param("password", "short"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("use 1 to 64 letters, digits or . _ + -")
			.contains("must be 8 to 128 characters")
			.doesNotContain("value=\"short\"");
		assertThat(
				jdbc.queryForObject("select count(*) from subscriber where domain = 'page.example.com'", Integer.class))
			.isZero();

		mvc.perform(post("/admin-settings/subscribers").with(TestUsers.asAdmin())
			.with(csrf())
			.param("username", "2003")
			.param("domain", "page.example.com")
			.param("password", "page-password-1")).andExpect(status().isFound());
		String taken = mvc
			.perform(post("/admin-settings/subscribers").with(TestUsers.asAdmin())
				.with(csrf())
				.param("username", "2003")
				.param("domain", "page.example.com")
				.param("password", "page-password-1"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(taken).contains("Subscriber 2003@page.example.com already exists");

		mvc.perform(post("/admin-settings/subscribers/0/password").with(TestUsers.asAdmin())
			.with(csrf())
			.param("password", "short"))
			.andExpect(flash().attribute("error", "Password not changed: it must be 8 to 128 characters."));
		mvc.perform(post("/admin-settings/subscribers/0/password").with(TestUsers.asAdmin())
			.with(csrf())
			.param("password", "page-password-3"))
			.andExpect(flash().attribute("error", "That subscriber no longer exists."));
	}

	@Test
	void aViewerCannotChangeAccounts() throws Exception {
		mvc.perform(post("/admin-settings/subscribers").with(TestUsers.asViewer())
			.with(csrf())
			.param("username", "2002")
			.param("domain", "page.example.com")
			.param("password", "page-password-1")).andExpect(status().isForbidden());
		assertThat(
				jdbc.queryForObject("select count(*) from subscriber where domain = 'page.example.com'", Integer.class))
			.isZero();
	}

}
