package com.telpro.control.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.InputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.telpro.control.support.TestUsers;
import com.telpro.control.sync.SyncService;
import com.telpro.control.trunk.AuthMethod;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.MessageSource;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The admin pages as an operator meets them, problem by problem (issue 18): what a sync
 * will change, the trunk list at scale, error pages, a viewer's view, texts, the form's
 * words, audit. The browser-only parts (layout at 390 px, session expiry, clicking) are
 * in admin/browser.
 */
@SpringBootTest
@AutoConfigureMockMvc
class OperatorDayPagesTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	TrunkRepository trunks;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	SyncService sync;

	@Autowired
	MessageSource messages;

	@BeforeEach
	void clean() {
		new TestUsers(jdbc).ensure();
		trunks.deleteAll();
		try (Cursor<String> keys = redis.scan(ScanOptions.scanOptions().match("telpro:v1:*").build())) {
			keys.forEachRemaining(redis::delete);
		}
	}

	@AfterEach
	void users() {
		new TestUsers(jdbc).ensure();
	}

	// 2. What a sync will change

	@Test
	void thePendingChangesNameEachTrunkAndFieldBeforeTheSync() throws Exception {
		Trunk twilio = trunks.save(ipOnly("twilio", 20, "54.172.60.0/23"));
		Trunk vonage = trunks.save(ipOnly("vonage", 30, "192.0.2.0/24"));
		Trunk gone = trunks.save(ipOnly("gone", 40, "198.51.100.0/24"));
		sync.syncAll("test");
		twilio.setPriority(25);
		twilio.setAllowedIps(List.of("54.172.60.0/23", "54.244.51.0/24"));
		trunks.save(twilio);
		vonage.setEnabled(false);
		trunks.save(vonage);
		trunks.delete(gone);
		trunks.save(ipOnly("fresh", 50, "203.0.113.0/24"));

		mvc.perform(get("/api/sync/pending").with(TestUsers.asViewer()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.trunks.length()").value(4))
			.andExpect(jsonPath("$.trunks[?(@.name == 'twilio')].change").value("changed"))
			.andExpect(jsonPath("$.trunks[?(@.name == 'twilio')].fields[?(@.field == 'priority')].live").value("20"))
			.andExpect(jsonPath("$.trunks[?(@.name == 'twilio')].fields[?(@.field == 'priority')].pending").value("25"))
			.andExpect(jsonPath("$.trunks[?(@.name == 'twilio')].fields[?(@.field == 'cidrs')].pending")
				.value("54.172.60.0/23, 54.244.51.0/24"))
			.andExpect(jsonPath("$.trunks[?(@.name == 'vonage')].change").value("disabled"))
			.andExpect(jsonPath("$.trunks[?(@.name == 'gone')].change").value("deleted"))
			.andExpect(jsonPath("$.trunks[?(@.name == 'fresh')].change").value("added"));

		Document tools = page("/admin-settings/tools");
		Element twilioRow = tools.selectFirst("#pending-changes tr[data-trunk=twilio]");
		assertThat(twilioRow).as("the pending-changes table names the edited trunk").isNotNull();
		assertThat(twilioRow.text()).contains("changed").contains("priority: 20 → 25").doesNotContain("ranges_v4");
		assertThat(tools.selectFirst("#pending-changes tr[data-trunk=vonage]").text()).contains("disabled");
		assertThat(tools.selectFirst("#pending-changes tr[data-trunk=gone]").text()).contains("deleted");

		Document list = page("/admin-settings");
		assertThat(list.selectFirst("tr[data-trunk=twilio]").attr("data-unsynced")).isEqualTo("true");
		assertThat(list.selectFirst("tr[data-trunk=twilio]").text()).contains("not synced");
		assertThat(list.selectFirst("tr[data-trunk=vonage]").attr("data-unsynced")).isEqualTo("true");
		assertThat(list.selectFirst("tr[data-trunk=fresh]").attr("data-unsynced")).isEqualTo("true");

		sync.syncAll("test");
		assertThat(page("/admin-settings").select("tr[data-unsynced=true]")).isEmpty();
		assertThat(page("/admin-settings/tools").selectFirst("#pending-changes")).isNull();
	}

	@Test
	void aFreshInstallWithNoTrunkIsNoAlarm() throws Exception {
		Element status = page("/admin-settings/tools").selectFirst("#sync-status");
		assertThat(status.hasClass("ok")).as(status.outerHtml()).isTrue();
		assertThat(status.hasClass("error")).isFalse();
	}

	// 3. Hundreds of trunks

	@Test
	void theTrunkListSearchesFiltersSortsAndPagesInTheDatabase() throws Exception {
		for (int i = 0; i < 60; i++) {
			Trunk t = ipOnly(String.format("carrier-%02d", i), i, "10.1." + i + ".0/24");
			t.setEnabled(i % 2 == 0);
			t.setInternal(i % 10 == 0);
			if (i % 3 == 0) {
				t.setAuthMethod(AuthMethod.IP_AND_DIGEST);
				t.setAuthRealm("sip.example.com");
				t.setAuthUser("u" + i);
				t.setAuthPass("secret-" + i);
			}
			if (i % 4 == 0) {
				t.setRequireTls(true);
			}
			trunks.save(t);
		}
		Document first = page("/admin-settings");
		assertThat(first.select("#trunks tbody tr")).hasSize(50);
		assertThat(first.selectFirst("#trunk-count").text()).isEqualTo("1–50 of 60 trunks");
		Document second = page("/admin-settings?page=1");
		assertThat(second.select("#trunks tbody tr")).hasSize(10);
		assertThat(second.selectFirst("#trunks tbody tr").attr("data-trunk")).isEqualTo("carrier-50");

		assertThat(names("/admin-settings?q=CARRIER-1")).containsExactly("carrier-10", "carrier-11", "carrier-12",
				"carrier-13", "carrier-14", "carrier-15", "carrier-16", "carrier-17", "carrier-18", "carrier-19");
		assertThat(names("/admin-settings?q=10.1.42.")).containsExactly("carrier-42");
		assertThat(names("/admin-settings?enabled=false&internal=true")).isEmpty();
		assertThat(names("/admin-settings?enabled=true&internal=true")).containsExactly("carrier-00", "carrier-10",
				"carrier-20", "carrier-30", "carrier-40", "carrier-50");
		assertThat(names("/admin-settings?auth=ip_and_digest&tls=required&enabled=true")).containsExactly("carrier-00",
				"carrier-12", "carrier-24", "carrier-36", "carrier-48");
		assertThat(names("/admin-settings?tls=none&q=carrier-0")).containsExactly("carrier-01", "carrier-02",
				"carrier-03", "carrier-05", "carrier-06", "carrier-07", "carrier-09");
		assertThat(names("/admin-settings?sort=name&dir=desc&size=25")).hasSize(25)
			.startsWith("carrier-59", "carrier-58");
		assertThat(names("/admin-settings?auth=no-such-method")).isEmpty();
		Document sorted = page("/admin-settings?sort=name&dir=desc&size=25&enabled=true");
		assertThat(sorted.selectFirst("a[rel=next]").attr("href")).contains("sort=name", "dir=desc", "size=25",
				"enabled=true", "page=1");
	}

	// 4. See admin/browser for 390 px.

	// 5. Texts

	@Test
	void everyMessageWithArgumentsKeepsItsApostrophesAndFillsItsPlaceholders() throws Exception {
		Properties raw = new Properties();
		try (InputStream in = getClass().getResourceAsStream("/messages.properties")) {
			raw.load(in);
		}
		Pattern placeholder = Pattern.compile("\\{(\\d)\\}");
		for (String key : raw.stringPropertyNames()) {
			String source = raw.getProperty(key);
			Matcher m = placeholder.matcher(source);
			int args = 0;
			while (m.find()) {
				args = Math.max(args, Integer.parseInt(m.group(1)) + 1);
			}
			if (args == 0) {
				continue;
			}
			Object[] values = new Object[args];
			for (int i = 0; i < args; i++) {
				values[i] = "ARG" + i;
			}
			String shown = messages.getMessage(key, values, Locale.ENGLISH);
			String expectedApostrophes = source.replace("''", "'");
			assertThat(shown).as(key).doesNotContain("{0}").contains("ARG0");
			assertThat(shown.chars().filter(c -> c == '\'').count()).as(key + ": " + shown)
				.isEqualTo(expectedApostrophes.chars().filter(c -> c == '\'').count());
		}
	}

	@Test
	void theSubscribersPageNamesTheSipDomainAndTheFooterIsOnlyWhereASyncMatters() throws Exception {
		Document subscribers = page("/admin-settings/subscribers");
		assertThat(subscribers.selectFirst(".lead").text()).contains("The edge's SIP domain is sip.telpro.test")
			.contains("the phone's next REGISTER")
			.doesNotContain("{0}");
		assertThat(subscribers.selectFirst("footer.footer")).isNull();
		assertThat(page("/admin-settings/users").selectFirst("footer.footer")).isNull();
		assertThat(page("/admin-settings/audit").selectFirst("footer.footer")).isNull();
		assertThat(page("/admin-settings").selectFirst("footer.footer")).isNotNull();
		assertThat(page("/admin-settings/tools").selectFirst("footer.footer")).isNotNull();
	}

	// 6. Viewer, error pages

	@Test
	void aViewerSeesNoSyncButtonAndNoWriteForm() throws Exception {
		trunks.save(ipOnly("twilio", 20, "54.172.60.0/23"));
		for (String path : List.of("/admin-settings", "/admin-settings/tools", "/admin-settings/secrets",
				"/admin-settings/users", "/admin-settings/subscribers", "/admin-settings/audit")) {
			Document page = Jsoup.parse(mvc.perform(get(path).with(TestUsers.asViewer()))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString());
			assertThat(page.select("form[method=post]").stream().map(f -> f.attr("action")).toList()).as(path)
				.allMatch(action -> action.equals("/logout"));
			assertThat(page.text()).as(path).doesNotContain("Sync All to Redis");
		}
	}

	@Test
	void aViewerChangesTheirOwnPassword() throws Exception {
		mvc.perform(get("/admin-settings/account").with(TestUsers.asViewer()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("id=\"own-password\"")));
		// Other writes stay refused for a viewer.
		mvc.perform(post("/admin-settings/tools/sync").with(TestUsers.asViewer()).with(csrf()))
			.andExpect(status().isForbidden());
		mvc.perform(post("/admin-settings/account/password").with(TestUsers.asViewer())
			.with(csrf())
			.param("currentPassword", "wrong-password-1")
			.param("password", "a-new-viewer-password")).andExpect(redirectedUrl("/admin-settings/account"));
		mvc.perform(post("/admin-settings/account/password").with(TestUsers.asViewer())
			.with(csrf())
			.param("currentPassword", TestUsers.VIEWER_PASSWORD)
			.param("password", "a-new-viewer-password")).andExpect(redirectedUrl("/login?passwordChanged"));
		mvc.perform(get("/admin-settings/account")
			.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
				.httpBasic(TestUsers.VIEWER, "a-new-viewer-password")))
			.andExpect(status().isOk());
	}

	/**
	 * MockMvc does not dispatch to /error: the error page is asked for as the container
	 * would (the browser test sees it for real).
	 */
	@Test
	void errorPagesTellAMissingPageARefusedRoleAndAFaultApart() throws Exception {
		Document missing = errorPage(404);
		Document refused = errorPage(403);
		Document fault = errorPage(500);
		assertThat(missing.selectFirst("h1").text()).isEqualTo("404 · Page not found");
		assertThat(refused.selectFirst("h1").text()).isEqualTo("403 · Not allowed for your role");
		assertThat(fault.selectFirst("h1").text()).isEqualTo("500 · Something went wrong on our side");
		assertThat(missing.selectFirst(".lead").text()).isNotEqualTo(refused.selectFirst(".lead").text());
		assertThat(refused.selectFirst(".lead").text()).doesNotContain("tell the platform team");
	}

	private Document errorPage(int status) throws Exception {
		return Jsoup.parse(mvc
			.perform(get("/error").with(TestUsers.asAdmin())
				.accept(MediaType.TEXT_HTML)
				.requestAttr("jakarta.servlet.error.status_code", status)
				.requestAttr("jakarta.servlet.error.request_uri", "/admin-settings/somewhere"))
			.andReturn()
			.getResponse()
			.getContentAsString());
	}

	// 7. The form's words

	@Test
	void theFormMarksRequiredFieldsAndExplainsInItsOwnLabels() throws Exception {
		Document form = page("/admin-settings/trunks/new");
		assertThat(form.select("[data-field=name] .required-mark")).hasSize(1);
		assertThat(form.selectFirst("#name").hasAttr("required")).isTrue();
		assertThat(form.select("[data-field=identifyBy] .required-mark")).hasSize(1);
		assertThat(form.select("[data-field=uniqueIdHeader] .required-mark")).isEmpty();

		// The spec's "Twilio production" example as written: no Allowed IPs for Source
		// IP.
		String page = mvc
			.perform(post("/admin-settings/trunks").with(TestUsers.asAdmin())
				.with(csrf())
				.param("name", "Twilio production")
				.param("priority", "20")
				.param("enabled", "true")
				.param("identifyBy", "source_ip", "from_domain")
				.param("fromDomainPattern", ".*\\.twilio\\.com$")
				.param("authMethod", "ip_only")
				.param("requireTls", "true")
				.param("srtpMode", "require")
				.param("symmetricRtp", "true")
				.param("uniqueIdHeader", "X-Twilio-CallSid")
				.param("peerNameVerification", "disabled")
				.param("codecPreferences", "PCMA, PCMU")
				.param("maxConcurrentCalls", "0"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String error = Jsoup.parse(page).selectFirst("[data-field=allowedIps] .error-text").text();
		assertThat(error).contains("“Identify by” includes “Source IP”").doesNotContain("identify_by", "source_ip");
	}

	// 8. Audit

	@Test
	void theAuditShowsTargetsByNameAndOnlyWhatChanged() throws Exception {
		mvc.perform(post("/admin-settings/trunks").with(TestUsers.asAdmin())
			.with(csrf())
			.param("name", "audit-carrier")
			.param("priority", "20")
			.param("enabled", "true")
			.param("identifyBy", "source_ip")
			.param("allowedIps", "192.0.2.0/24")
			.param("authMethod", "ip_only")
			.param("srtpMode", "disabled")
			.param("peerNameVerification", "disabled")
			.param("codecPreferences", "PCMA, PCMU")
			.param("maxConcurrentCalls", "0")).andExpect(status().is3xxRedirection());
		Document audit = page("/admin-settings/audit?action=trunk.create");
		Element row = audit.selectFirst("tbody tr");
		assertThat(row.selectFirst("td.target").text()).isEqualTo("trunk audit-carrier");
		List<String> fields = row.select(".diff li code").eachText();
		assertThat(fields).contains("name", "allowed_ips", "priority")
			.doesNotContain("auth_realm", "auth_user", "user_agent_pattern", "tls_remote_subject_name",
					"unique_id_header");
		assertThat(row.selectFirst("code.action")).isNotNull();
	}

	private List<String> names(String path) throws Exception {
		return page(path).select("#trunks tbody tr").eachAttr("data-trunk");
	}

	private Document page(String path) throws Exception {
		return Jsoup.parse(mvc.perform(get(path).with(TestUsers.asAdmin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
	}

	private static Trunk ipOnly(String name, int priority, String... ips) {
		Trunk trunk = new Trunk();
		trunk.setName(name);
		trunk.setPriority(priority);
		trunk.setIdentifyBy(EnumSet.of(IdentifyMethod.SOURCE_IP));
		trunk.setAllowedIps(List.of(ips));
		trunk.setAuthMethod(AuthMethod.IP_ONLY);
		return trunk;
	}

}
