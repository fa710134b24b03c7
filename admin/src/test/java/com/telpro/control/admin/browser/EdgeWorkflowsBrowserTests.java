package com.telpro.control.admin.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.telpro.control.support.Await;
import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.Loopback;
import com.telpro.control.support.SipTlsClient;
import com.telpro.control.support.Sipp;
import com.telpro.control.support.Sipp.Result;
import com.telpro.control.support.TestServers;
import com.telpro.control.support.TestUsers;
import com.telpro.control.support.TlsPki;
import com.telpro.control.support.TlsPki.Entity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The spec's three workflows and its two reference examples clicked through the admin
 * pages in a real browser, "Sync All to Redis" pressed, and a real Kamailio running the
 * project's config (with TLS and the TLS watcher) proving with SIP that it enforces what
 * was clicked: sipp for UDP calls, the project's TLS client for mTLS.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(ScreenshotOnFailure.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EdgeWorkflowsBrowserTests implements ScreenshotOnFailure.HasBrowser {

	private static final Duration EDGE_LIMIT = Duration.ofSeconds(20);

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	private Browser browser;

	private KamailioProcess kamailio;

	private Sipp.Backend backend;

	private Path dir;

	private Path watcherLog;

	private int tlsPort;

	private Entity serverCa;

	private Entity carrierCa;

	private Entity carrierClient;

	private Entity strangerClient;

	@Override
	public Browser browser() {
		return browser;
	}

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.withDefines("WITH_TLS", "WITH_OPTIONS_TRUNK_CHECK");

	@BeforeAll
	void start() throws IOException {
		new TestUsers(jdbc).ensure();
		jdbc.update("delete from trunk");
		jdbc.update("delete from platform_secret");
		dir = edge.tempDir("telpro-browser-edge-");
		Path tlsDir = Files.createDirectories(dir.resolve("tls"));
		TlsPki pki = TlsPki.in(dir.resolve("pki"));
		serverCa = pki.ca("server-ca", "Edge Server CA");
		Entity server = pki.server("server", serverCa);
		carrierCa = pki.ca("carrier-ca", "Carrier M Root");
		carrierClient = pki.client("carrier-client", carrierCa, "trunk-m.example");
		strangerClient = pki.client("stranger", pki.ca("stranger-ca", "Stranger Root"), "trunk-m.example");
		Files.copy(server.certificate(), tlsDir.resolve("server.crt"));
		Files.copy(server.key(), tlsDir.resolve("server.key"));
		Files.copy(pki.ca("placeholder", "placeholder").certificate(), tlsDir.resolve("ca-bundle.pem"));
		Path tlsCfg = KamailioEdge.tlsConfig(dir, tlsDir);

		TestServers servers = TestServers.get();
		int backendPort = Loopback.freeSipPort();
		backend = edge.uses(Sipp.backend(backendPort));
		tlsPort = Loopback.freeSipPort();
		kamailio = edge.start("edge-browser", servers.redisPort(), backendPort, "TLS_LISTEN_ADDR=127.0.0.1:" + tlsPort,
				"TLS_CFG=\"" + tlsCfg + "\"");
		watcherLog = dir.resolve("watcher.log");
		edge.startTlsWatcher(kamailio, "edge-browser", servers.redisPort(), tlsDir, watcherLog);
		browser = new Browser(port);
	}

	@AfterAll
	void closeBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	@Test
	@Order(1)
	void theOperatorLogsIn() {
		browser.login(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
		assertThat(browser.path()).startsWith("/admin-settings");
	}

	@Test
	@Order(2)
	void anIpOnlyTwilioStyleTrunk() {
		newTrunk("twilio-style", "50");
		browser.choose("identifyBy", "source_ip");
		browser.set("allowedIps", "54.172.60.0/23\n127.0.0.2/32");
		browser.set("authMethod", "ip_only");
		save("twilio-style");
	}

	@Test
	@Order(3)
	void aDigestTrunk() {
		newTrunk("digest-pbx", "60");
		browser.choose("identifyBy", "from_domain");
		browser.set("fromDomainPattern", "^pbx\\.customer\\.example$");
		browser.set("authMethod", "digest");
		browser.set("authRealm", "pbx.customer.example");
		browser.set("authUser", "pbx");
		browser.set("authPass", "s3cret-Pa55");
		save("digest-pbx");
	}

	@Test
	@Order(4)
	void aFullMtlsTrunkWithItsCaUploadedAsAPlatformSecret() {
		browser.open("/admin-settings/secrets");
		browser.set("name", "carrier-m-root");
		browser.set("purpose", "CA_CERT");
		browser.paste("pem", carrierCa.certificatePem());
		browser.press("Upload");
		browser.waitForText("Carrier M Root");

		newTrunk("mtls-carrier", "40");
		browser.choose("identifyBy", "from_domain");
		browser.set("fromDomainPattern", "^mtls\\.carrier\\.example$");
		browser.set("authMethod", "ip_only");
		browser.set("allowedIps", "127.0.0.1/32");
		browser.set("requireTls", "true");
		browser.set("verifyPeer", "true");
		browser.set("requireClientCert", "true");
		browser.set("peerNameVerification", "enabled");
		browser.set("tlsRemoteSubjectName", "trunk-m.example");
		browser.selectStartingWith("tlsCaSecretId", "carrier-m-root");
		save("mtls-carrier");
	}

	@Test
	@Order(5)
	void theSpecsTwoReferenceExamples() {
		newTrunk("Twilio production", "20");
		browser.choose("identifyBy", "source_ip", "from_domain");
		// The example names no addresses; Source IP needs Twilio's (the spec's workflow
		// uses this one).
		browser.set("allowedIps", "54.172.60.0/23");
		browser.set("fromDomainPattern", ".*\\.twilio\\.com$");
		browser.set("authMethod", "ip_only");
		browser.set("requireTls", "true");
		browser.set("srtpMode", "require");
		browser.set("symmetricRtp", "true");
		browser.set("uniqueIdHeader", "X-Twilio-CallSid");
		save("Twilio production");

		newTrunk("Janus internal", "10");
		browser.choose("identifyBy", "source_ip");
		browser.set("allowedIps", "10.30.0.13/32");
		browser.set("authMethod", "ip_only");
		browser.set("isInternal", "true");
		browser.set("requiresXCall", "true");
		save("Janus internal");
	}

	@Test
	@Order(6)
	void syncAllToRedisAfterReviewingWhatItWillChange() {
		browser.open("/admin-settings/tools");
		for (String name : new String[] { "twilio-style", "digest-pbx", "mtls-carrier", "Twilio production",
				"Janus internal" }) {
			assertThat(browser.find(By.cssSelector("#pending-changes tr[data-trunk='" + name + "']")).getText())
				.contains("added");
		}
		browser.press("Sync All to Redis");
		browser.waitForText("Published generation");
		String flash = browser.find(By.cssSelector(".flash.ok")).getText();
		long generation = Long.parseLong(flash.replaceAll("(?s).*Published generation (\\d+).*", "$1"));
		assertThat(flash).contains(": 5 trunks");
		kamailio.awaitGeneration(generation);
	}

	@Test
	@Order(7)
	void theEdgeEnforcesTheIpOnlyTrunk() {
		Result call = Sipp.uac("uac_call.xml", kamailio.address()).from("127.0.0.2").run();
		assertThat(call.passed()).as(call.output()).isTrue();
		Await.until(() -> backend.call(call.callId()) != null, EDGE_LIMIT);
		assertThat(backend.call(call.callId())).startsWith("trunk=twilio-style ");

		Result stranger = Sipp.uac("uac_invite_rejected.xml", kamailio.address()).from("127.0.0.3").run();
		assertThat(stranger.lastStatus()).as(stranger.output()).startsWith("403");
	}

	@Test
	@Order(8)
	void theEdgeEnforcesTheDigestTrunk() {
		Result ok = Sipp.uac("uac_call_digest.xml", kamailio.address())
			.from("127.0.0.60")
			.fromDomain("pbx.customer.example")
			.credentials("pbx", "s3cret-Pa55")
			.run();
		assertThat(ok.passed()).as(ok.output()).isTrue();
		Result wrong = Sipp.uac("uac_digest_rejected.xml", kamailio.address())
			.from("127.0.0.60")
			.fromDomain("pbx.customer.example")
			.credentials("pbx", "not-the-password")
			.run();
		assertThat(wrong.lastStatus()).as(wrong.output()).startsWith("403");
	}

	@Test
	@Order(9)
	void theEdgeEnforcesTheFullMtlsTrunk() {
		SipTlsClient carrier = SipTlsClient.withCertificate(serverCa.certificate(), carrierClient);
		// The watcher applies the CA bundle of the sync (tls.reload) within a poll or
		// two.
		Await.until(() -> carrier.options(tlsPort, "mtls.carrier.example").status() == 200, EDGE_LIMIT,
				this::watcherOutput);
		assertThat(SipTlsClient.withCertificate(serverCa.certificate(), strangerClient)
			.options(tlsPort, "mtls.carrier.example")
			.statusLine()).as("right name, a CA outside the bundle: the handshake fails").isNull();
		assertThat(SipTlsClient.anonymous(serverCa.certificate()).options(tlsPort, "mtls.carrier.example").status())
			.as("no client certificate")
			.isEqualTo(403);
		assertThat(SipTlsClient.udpOptions(kamailio.port(), "mtls.carrier.example")).as("not over TLS").isEqualTo(403);
	}

	private void newTrunk(String name, String priority) {
		browser.open("/admin-settings/trunks/new");
		browser.set("name", name);
		browser.set("priority", priority);
	}

	private void save(String name) {
		browser.press("Save");
		browser
			.waitUntil(() -> "/admin-settings".equals(browser.path()) || browser.present(By.cssSelector(".has-error")));
		assertThat(browser.present(By.cssSelector(".has-error"))).as(() -> "refused: " + browser.text()).isFalse();
		assertThat(browser.text()).contains("Trunk \"" + name + "\" created");
	}

	private String watcherOutput() {
		try {
			return "watcher:\n" + Files.readString(watcherLog, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

}
