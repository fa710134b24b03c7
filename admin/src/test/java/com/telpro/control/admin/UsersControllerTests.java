package com.telpro.control.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

@SpringBootTest
@AutoConfigureMockMvc
class UsersControllerTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	TestUsers users;

	@BeforeEach
	void setUp() {
		users = new TestUsers(jdbc).ensure();
		jdbc.update("delete from app_user where username = 'page-user'");
	}

	@Test
	void anAdminManagesAUserAndItsTokenThroughTheForms() throws Exception {
		MvcResult created = mvc
			.perform(post("/admin-settings/users").with(TestUsers.asAdmin())
				.with(csrf())
				.param("username", "page-user")
				.param("password", "page-user-password")
				.param("role", "viewer"))
			.andExpect(status().isFound())
			.andReturn();
		long id = users.idOf("page-user");
		assertThat(created.getResponse().getRedirectedUrl()).isEqualTo("/admin-settings/users/" + id);

		mvc.perform(post("/admin-settings/users/" + id).with(TestUsers.asAdmin())
			.with(csrf())
			.param("role", "admin")
			.param("enabled", "true")).andExpect(flash().attribute("message", "User saved."));
		assertThat(jdbc.queryForObject("select role from app_user where id = ?", String.class, id)).isEqualTo("admin");

		MvcResult token = mvc
			.perform(post("/admin-settings/users/" + id + "/tokens").with(TestUsers.asAdmin())
				.with(csrf())
				.param("name", "from-the-page"))
			.andExpect(status().isFound())
			.andReturn();
		String value = (String) token.getFlashMap().get("createdToken");
		assertThat(value).startsWith("tp_");
		String shownOnce = mvc
			.perform(get("/admin-settings/users/" + id).with(TestUsers.asAdmin()).flashAttrs(token.getFlashMap()))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(shownOnce).contains(value);
		String later = mvc.perform(get("/admin-settings/users/" + id).with(TestUsers.asAdmin()))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(later).contains("from-the-page").doesNotContain(value);
		mvc.perform(get("/api/users").header("Authorization", "Bearer " + value)).andExpect(status().isOk());

		long tokenId = jdbc.queryForObject("select id from api_token where user_id = ?", Long.class, id);
		mvc.perform(post("/admin-settings/users/" + id + "/tokens/" + tokenId + "/revoke").with(TestUsers.asAdmin())
			.with(csrf())).andExpect(flash().attribute("message", "Token revoked."));
		mvc.perform(get("/api/users").header("Authorization", "Bearer " + value)).andExpect(status().isUnauthorized());

		mvc.perform(post("/admin-settings/users/" + id + "/delete").with(TestUsers.asAdmin()).with(csrf()))
			.andExpect(flash().attribute("message", "User deleted."));
		assertThat(jdbc.queryForObject("select count(*) from app_user where id = ?", Integer.class, id)).isZero();
	}

	@Test
	void theLastAdminCannotBeDemotedAndABadPasswordIsExplained() throws Exception {
		jdbc.update("update app_user set enabled = false where role = 'admin' and username <> 'admin'");
		long admin = users.idOf(TestUsers.ADMIN);
		mvc.perform(post("/admin-settings/users/" + admin).with(TestUsers.asAdmin())
			.with(csrf())
			.param("role", "viewer")
			.param("enabled", "true")).andExpect(flash().attribute("error", "at least one enabled admin must remain"));
		assertThat(jdbc.queryForObject("select role from app_user where id = ?", String.class, admin))
			.isEqualTo("admin");

		mvc.perform(post("/admin-settings/users").with(TestUsers.asAdmin())
			.with(csrf())
			.param("username", "page-user")
			.param("password", "short")
			.param("role", "viewer")).andExpect(flash().attribute("error", "Password: must be at least 10 characters"));
		assertThat(jdbc.queryForObject("select count(*) from app_user where username = 'page-user'", Integer.class))
			.isZero();
	}

	@Test
	void aRefusedFieldIsNamedInTheFlashAsTheApiNamesIt() throws Exception {
		mvc.perform(post("/admin-settings/users").with(TestUsers.asAdmin())
			.with(csrf())
			.param("username", "page-user")
			.param("password", "page-user-password")
			.param("role", "root")).andExpect(flash().attribute("error", "Role: must be one of admin, viewer"));
		assertThat(jdbc.queryForObject("select count(*) from app_user where username = 'page-user'", Integer.class))
			.isZero();

		long admin = users.idOf(TestUsers.ADMIN);
		mvc.perform(post("/admin-settings/users/" + admin + "/tokens").with(TestUsers.asAdmin())
			.with(csrf())
			.param("name", "")).andExpect(flash().attribute("error", "Name: must be 1-100 characters"));
		mvc.perform(post("/admin-settings/users").with(TestUsers.asAdmin())
			.with(csrf())
			.param("username", TestUsers.ADMIN)
			.param("password", "page-user-password")
			.param("role", "viewer"))
			.andExpect(flash().attribute("error", "User name: a user with this name exists already"));
	}

}
