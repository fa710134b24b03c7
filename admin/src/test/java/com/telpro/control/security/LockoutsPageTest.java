package com.telpro.control.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.telpro.control.support.TestUsers;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.LockedException;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Issue 18, problem 9: an admin sees who is locked out after failed logins and clears a
 * lockout.
 */
@SpringBootTest
@AutoConfigureMockMvc
class LockoutsPageTest {

	/** The test settings' per-user limit (src/test/resources/config/application.yml). */
	private static final int USER_LIMIT = 1000;

	@Autowired
	MockMvc mvc;

	@Autowired
	LoginThrottle throttle;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void users() {
		new TestUsers(jdbc).ensure();
	}

	@Test
	void anAdminSeesAndClearsALockout() throws Exception {
		// the throttle locks a user at one address (elsewhere it slows down): that pair
		// is the lockout
		for (int i = 0; i < USER_LIMIT; i++) {
			throttle.recordFailure("locked-bob", "198.51.100.1");
		}
		assertThatThrownBy(() -> throttle.checkAllowed("locked-bob", "198.51.100.1"))
			.isInstanceOf(LockedException.class);

		Element row = lockoutOf("locked-bob");
		assertThat(row).as("the Lockouts tab lists the locked user").isNotNull();
		assertThat(row.text()).contains(String.valueOf(USER_LIMIT));

		mvc.perform(get("/admin-settings/lockouts").with(TestUsers.asViewer())).andExpect(status().isForbidden());
		mvc.perform(post("/admin-settings/lockouts/clear").with(TestUsers.asViewer())
			.with(csrf())
			.param("key", row.attr("data-key"))).andExpect(status().isForbidden());

		mvc.perform(post("/admin-settings/lockouts/clear").with(TestUsers.asAdmin())
			.with(csrf())
			.param("key", row.attr("data-key"))).andExpect(redirectedUrl("/admin-settings/lockouts"));
		assertThatCode(() -> throttle.checkAllowed("locked-bob", "198.51.100.1")).doesNotThrowAnyException();
		assertThat(lockoutOf("locked-bob")).isNull();
	}

	private Element lockoutOf(String name) throws Exception {
		Document page = Jsoup.parse(mvc.perform(get("/admin-settings/lockouts").with(TestUsers.asAdmin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
		return page.select("#lockouts tbody tr").stream().filter(r -> r.text().contains(name)).findFirst().orElse(null);
	}

}
