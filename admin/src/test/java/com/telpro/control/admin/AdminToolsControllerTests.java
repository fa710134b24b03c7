package com.telpro.control.admin;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.EnumSet;
import java.util.List;

import com.telpro.control.trunk.AuthMethod;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import com.telpro.control.support.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

@SpringBootTest
@AutoConfigureMockMvc
@WithMockUser(username = "admin", roles = "ADMIN")
class AdminToolsControllerTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	TrunkRepository trunks;

	@Autowired
	StringRedisTemplate redis;

	@BeforeEach
	void clean() {
		trunks.deleteAll();
		try (Cursor<String> keys = redis.scan(ScanOptions.scanOptions().match("telpro:v1:*").build())) {
			keys.forEachRemaining(redis::delete);
		}
	}

	@Test
	void theLintIsShownBeforeTheSync() throws Exception {
		// same priority; "a-wide" is checked first and takes everything "b-narrow" would
		trunks.save(trunk("a-wide", "203.0.113.0/24"));
		trunks.save(trunk("b-narrow", "203.0.113.8/29"));
		mvc.perform(get("/admin-settings/tools"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("data-rule=\"equal_priority_overlap\"")))
			.andExpect(content().string(containsString("data-rule=\"shadowed\"")));
		trunks.deleteAll();
		trunks.save(trunk("twilio", "54.172.60.0/23"));
		mvc.perform(get("/admin-settings/tools"))
			.andExpect(status().isOk())
			.andExpect(content().string(not(containsString("data-rule="))));
	}

	@Test
	void theButtonSyncsAndThePageShowsDriftAndProxies() throws Exception {
		trunks.save(trunk("twilio", "54.172.60.0/23"));
		mvc.perform(get("/admin-settings/tools"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Admin Tools")))
			.andExpect(content().string(containsString("Sync All to Redis")))
			.andExpect(content().string(containsString("never synced: 1 trunk to publish")));

		mvc.perform(post("/admin-settings/tools/sync").with(csrf()))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrl("/admin-settings/tools"))
			.andExpect(
					flash().attribute("message", matchesPattern("Published generation \\d+: 1 trunks in \\d+ ms\\.")));
		String generation = redis.opsForValue().get("telpro:v1:generation");
		redis.opsForValue()
			.set("telpro:v1:proxy:edge-1", "{\"node\": \"edge-1\", \"generation\": " + generation
					+ ", \"loaded_at\": \"2026-11-24T10:42:07Z\", \"trunks\": 1, \"refused\": [], \"seen_at\": \"2026-11-24T10:42:09Z\"}");

		mvc.perform(get("/admin-settings/tools"))
			.andExpect(status().isOk())
			.andExpect(content()
				.string(matchesPattern("(?s).*in sync since \\d\\d:\\d\\d, generation " + generation + ".*")))
			.andExpect(content()
				.string(containsString("proxy edge-1 on generation " + generation + " (latest " + generation + ")")));

		trunks.save(trunk("vonage", "192.0.2.0/24"));
		mvc.perform(get("/admin-settings/tools"))
			.andExpect(content().string(containsString("1 change pending sync")))
			.andExpect(content().string(containsString("Added 1, changed 0, removed 0.")));
	}

	@Test
	void aRedisOutageIsShownAsAnErrorNotAsAPage500() throws Exception {
		trunks.save(trunk("twilio", "54.172.60.0/23"));
		TestServers servers = TestServers.get();
		servers.stopRedis();
		try {
			mvc.perform(post("/admin-settings/tools/sync").with(csrf()))
				.andExpect(redirectedUrl("/admin-settings/tools"))
				.andExpect(flash().attribute("error", matchesPattern("Redis unreachable: .*")));
			mvc.perform(get("/admin-settings/tools"))
				.andExpect(status().isOk())
				.andExpect(content().string(containsString("Drift unknown: Redis unreachable")));
		}
		finally {
			servers.startRedis();
		}
		awaitRedis();
	}

	@Test
	void saveAndSyncPublishesRightAwayButPlainSaveDoesNot() throws Exception {
		mvc.perform(TrunkAdminControllerTests.twilioForm("/admin-settings/trunks").with(csrf()))
			.andExpect(redirectedUrl("/admin-settings"));
		org.assertj.core.api.Assertions.assertThat(redis.hasKey("telpro:v1:generation"))
			.as("plain Save never syncs")
			.isFalse();

		long id = trunks.findByName("Twilio production").orElseThrow().getId();
		mvc.perform(TrunkAdminControllerTests
			.twilioForm("/admin-settings/trunks/" + id, "priority", "25", "version",
					Long.toString(trunks.findById(id).orElseThrow().getVersion()))
			.param("saveAndSync", "true")
			.with(csrf()))
			.andExpect(redirectedUrl("/admin-settings"))
			.andExpect(flash().attribute("message", matchesPattern(
					"Trunk \"Twilio production\" saved and published to the proxy in generation \\d+\\.")));
		String generation = redis.opsForValue().get("telpro:v1:generation");
		org.assertj.core.api.Assertions.assertThat(redis.opsForValue().get("telpro:v1:gen:" + generation))
			.contains("\"name\":\"Twilio production\"")
			.contains("\"priority\":25");
	}

	@Test
	@WithMockUser(username = "viewer", roles = "VIEWER")
	void aViewerSeesThePageButCannotSync() throws Exception {
		mvc.perform(get("/admin-settings/tools")).andExpect(status().isOk());
		mvc.perform(post("/admin-settings/tools/sync").with(csrf())).andExpect(status().isForbidden());
	}

	private static Trunk trunk(String name, String cidr) {
		Trunk trunk = new Trunk();
		trunk.setName(name);
		trunk.setIdentifyBy(EnumSet.of(IdentifyMethod.SOURCE_IP));
		trunk.setAllowedIps(List.of(cidr));
		trunk.setAuthMethod(AuthMethod.IP_ONLY);
		return trunk;
	}

	private void awaitRedis() throws InterruptedException {
		for (int i = 0; i < 600; i++) {
			try {
				redis.hasKey("telpro:v1:generation");
				return;
			}
			catch (RuntimeException ex) {
				Thread.sleep(100);
			}
		}
	}

}
