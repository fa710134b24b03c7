package com.telpro.control.admin.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.telpro.control.support.TestUsers;
import com.telpro.control.sync.SyncService;
import com.telpro.control.trunk.AuthMethod;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.SrtpMode;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The admin pages in a real browser (headless chromium), as an operator uses them (issue
 * 18): a form sent after the session expired keeps its input, the pending changes name
 * the trunk just edited, a new token can be copied, error pages say what happened, every
 * page fits a 390 px phone, and a viewer sees no write control but changes their own
 * password. One browser for the class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(ScreenshotOnFailure.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminBrowserTests implements ScreenshotOnFailure.HasBrowser {

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TrunkRepository trunks;

	@Autowired
	SyncService sync;

	private Browser browser;

	@Override
	public Browser browser() {
		return browser;
	}

	@BeforeAll
	void start() {
		new TestUsers(jdbc).ensure();
		trunks.deleteAll();
		browser = new Browser(port);
	}

	@AfterAll
	void stop() {
		if (browser != null) {
			browser.close();
		}
		new TestUsers(jdbc).ensure();
	}

	@Test
	@Order(1)
	void aFormSentAfterTheSessionExpiredKeepsItsInputAfterLoggingInAgain() {
		browser.login(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
		browser.open("/admin-settings/trunks/new");
		browser.set("name", "kept-carrier");
		browser.set("priority", "33");
		browser.choose("identifyBy", "source_ip");
		browser.set("allowedIps", "198.51.100.0/24");
		browser.set("uniqueIdHeader", "X-Kept-Id");

		// The session ends while the operator is typing (timeout, restart): its cookie is
		// gone.
		browser.driver().manage().deleteCookieNamed("JSESSIONID");
		browser.press("Save");

		browser.waitUntil(() -> browser.path().startsWith("/login"));
		assertThat(browser.text()).contains("Your session expired");
		assertThat(browser.driver().getPageSource()).doesNotContain("jsessionid");
		assertThat(browser.driver().getCurrentUrl()).doesNotContain("jsessionid");

		browser.loginHere(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
		browser.waitUntil(() -> browser.path().startsWith("/admin-settings/trunks/new"));
		assertThat(browser.text()).contains("Your input was kept");
		assertThat(browser.find(By.name("name")).getAttribute("value")).isEqualTo("kept-carrier");
		assertThat(browser.find(By.name("priority")).getAttribute("value")).isEqualTo("33");
		assertThat(browser.find(By.name("allowedIps")).getAttribute("value")).isEqualTo("198.51.100.0/24");
		assertThat(browser.find(By.name("uniqueIdHeader")).getAttribute("value")).isEqualTo("X-Kept-Id");
		assertThat(trunks.findByName("kept-carrier")).as("kept, not saved behind the operator's back").isEmpty();

		browser.press("Save");
		browser.waitUntil(() -> "/admin-settings".equals(browser.path()));
		assertThat(trunks.findByName("kept-carrier")).isPresent();
	}

	@Test
	@Order(2)
	void thePendingChangesNameTheTrunkJustEdited() {
		trunks.save(ipOnly("carrier-a", 20, "192.0.2.0/24"));
		sync.syncAll("test");
		browser.open("/admin-settings?q=carrier-a");
		assertThat(row("carrier-a").getAttribute("data-unsynced")).isEqualTo("false");
		browser.click(By.linkText("carrier-a"));
		browser.set("priority", "35");
		browser.press("Save");
		browser.waitUntil(() -> browser.path().startsWith("/admin-settings") && browser.present(By.id("trunks")));

		browser.open("/admin-settings?q=carrier-a");
		WebElement row = row("carrier-a");
		assertThat(row.getAttribute("data-unsynced")).isEqualTo("true");
		row.findElement(By.cssSelector("a.badge.pending")).click();
		browser.waitUntil(() -> browser.path().startsWith("/admin-settings/tools"));
		WebElement change = browser.find(By.cssSelector("#pending-changes tr[data-trunk='carrier-a']"));
		assertThat(change.getText()).contains("changed").contains("priority: 20 → 35");

		browser.press("Sync All to Redis");
		browser.waitForText("Published generation");
		assertThat(browser.present(By.cssSelector("#pending-changes tr[data-trunk='carrier-a']"))).isFalse();
	}

	@Test
	@Order(3)
	void aNewTokenCanBeCopied() {
		long admin = new TestUsers(jdbc).idOf(TestUsers.ADMIN);
		browser.open("/admin-settings/users/" + admin);
		browser.set("name", "browser-ci");
		browser.press("Create token");
		WebElement copy = browser.find(By.id("copy-token"));
		String token = browser.find(By.id("created-token")).getText().trim();
		assertThat(copy.isDisplayed()).isTrue();
		copy.click();
		// Copied to the clipboard, or (no clipboard permission in this browser) selected
		// for Ctrl+C.
		browser.waitUntil(() -> "Copied".equals(copy.getText())
				|| token.equals(String.valueOf(browser.js("return window.getSelection().toString().trim();"))));
	}

	@Test
	@Order(4)
	void errorPagesTellAMissingPageFromARefusedRole() {
		browser.open("/admin-settings/no-such-page");
		assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("404 · Page not found");
		browser.click(By.linkText("Back to the admin settings"));
		browser.waitUntil(() -> browser.present(By.id("trunks")) || browser.present(By.cssSelector("p.empty")));
		assertThat(browser.driver().getPageSource()).doesNotContain("Request rejected");
	}

	@Test
	@Order(5)
	void everyPageFitsA390PixelPhone() {
		long admin = new TestUsers(jdbc).idOf(TestUsers.ADMIN);
		// A row as wide as real ones get: several networks, a pattern, TLS, SRTP, digest.
		Trunk wide = trunks.findByName("phone-wide-carrier").orElseGet(() -> {
			Trunk t = ipOnly("phone-wide-carrier", 15, "54.172.60.0/23", "54.244.51.0/24", "2001:db8:1234::/48");
			t.setIdentifyBy(EnumSet.of(IdentifyMethod.SOURCE_IP, IdentifyMethod.FROM_DOMAIN));
			t.setFromDomainPattern("^(sip|pstn)\\.carrier-with-a-long-name\\.example\\.com$");
			t.setAuthMethod(AuthMethod.IP_AND_DIGEST);
			t.setAuthRealm("carrier-with-a-long-name.example.com");
			t.setAuthUser("carrier-user");
			t.setAuthPass("carrier-secret-1");
			t.setRequireTls(true);
			t.setSrtpMode(SrtpMode.REQUIRE);
			return trunks.save(t);
		});
		long someTrunk = wide.getId();
		browser.login(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
		browser.resize(390, 844);
		try {
			for (String path : List.of("/admin-settings", "/admin-settings/trunks/new",
					"/admin-settings/trunks/" + someTrunk, "/admin-settings/tools", "/admin-settings/calls",
					"/admin-settings/secrets", "/admin-settings/users", "/admin-settings/users/" + admin,
					"/admin-settings/subscribers", "/admin-settings/registrations", "/admin-settings/audit",
					"/admin-settings/lockouts", "/admin-settings/account", "/admin-settings/no-such-page")) {
				browser.open(path);
				assertThat(browser.path()).as("signed in, on the page itself").startsWith(path);
				long[] widths = browser.widths();
				assertThat(widths[0]).as("the viewport is a phone's").isLessThanOrEqualTo(400);
				assertThat(widths[1]).as(path + " is no wider than the screen").isLessThanOrEqualTo(widths[0]);
				for (WebElement tab : browser.all(By.cssSelector("nav.tabs a"))) {
					Number right = (Number) browser.js("return arguments[0].getBoundingClientRect().right;", tab);
					assertThat(right.doubleValue()).as(path + ": tab " + tab.getText() + " on screen")
						.isLessThanOrEqualTo(widths[0]);
				}
			}
			browser.driver().manage().deleteAllCookies();
			browser.open("/login");
			long[] widths = browser.widths();
			assertThat(widths[1]).as("/login").isLessThanOrEqualTo(widths[0]);
		}
		finally {
			browser.resize(1280, 900);
		}
	}

	@Test
	@Order(6)
	void aViewerSeesNoWriteControlButChangesTheirOwnPassword() {
		browser.login(TestUsers.VIEWER, TestUsers.VIEWER_PASSWORD);
		long admin = new TestUsers(jdbc).idOf(TestUsers.ADMIN);
		long someTrunk = trunks.findAll().get(0).getId();
		for (String path : List.of("/admin-settings", "/admin-settings/trunks/" + someTrunk, "/admin-settings/tools",
				"/admin-settings/secrets", "/admin-settings/users", "/admin-settings/users/" + admin,
				"/admin-settings/subscribers", "/admin-settings/audit")) {
			browser.open(path);
			List<String> writes = browser.all(By.cssSelector("form[method=post]"))
				.stream()
				.map(form -> form.getAttribute("action"))
				.filter(action -> !action.endsWith("/logout"))
				.toList();
			assertThat(writes).as(path + ": write forms a viewer sees").isEmpty();
			assertThat(browser.text()).as(path)
				.doesNotContain("Sync All to Redis")
				.doesNotContain("Something went wrong");
		}
		browser.open("/admin-settings/lockouts");
		assertThat(browser.find(By.tagName("h1")).getText()).isEqualTo("403 · Not allowed for your role");

		browser.click(By.cssSelector("a.account"));
		browser.set("currentPassword", TestUsers.VIEWER_PASSWORD);
		browser.set("password", "viewer-new-password-1");
		browser.press("Change my password");
		browser.waitUntil(() -> browser.path().startsWith("/login"));
		assertThat(browser.text()).contains("Your password was changed");
		browser.login(TestUsers.VIEWER, "viewer-new-password-1");
		assertThat(browser.path()).startsWith("/admin-settings");
	}

	private WebElement row(String trunk) {
		return browser.find(By.cssSelector("#trunks tr[data-trunk='" + trunk + "']"));
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
