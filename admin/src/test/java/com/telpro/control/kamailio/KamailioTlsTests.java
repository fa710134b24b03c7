package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.telpro.control.support.AdminApi;
import com.telpro.control.support.Await;
import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.Loopback;
import com.telpro.control.support.ProcessResult;
import com.telpro.control.support.SipTlsClient;
import com.telpro.control.support.SipTlsClient.Reply;
import com.telpro.control.support.TestServers;
import com.telpro.control.support.TestUsers;
import com.telpro.control.support.TlsPki;
import com.telpro.control.support.TlsPki.Entity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 7 on the wire: per-trunk TLS enforced by the real Kamailio with WITH_TLS. Trunks
 * and CA certificates go through the REST API and "Sync All"; the TLS watcher runs as its
 * own process beside Kamailio (ctl socket, TLS folder, 1 s interval); clients are Java
 * SSLSockets speaking SIP with certificates openssl makes at test time. One TLS listener
 * serves every trunk: the listener trusts all trunks' CAs, js/tls.js checks each trunk's
 * own CA and CN.
 *
 * <p>
 * Every trunk is identified by source address 127.0.0.1 and its own From domain, ip_only,
 * and is probed with an OPTIONS to the proxy, which WITH_OPTIONS_TRUNK_CHECK answers 200
 * only after the trunk's TLS and authentication steps.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KamailioTlsTests {

	private static final Duration ROTATION_LIMIT = Duration.ofSeconds(10);

	@Autowired
	TestRestTemplate http;

	private AdminApi api() {
		return new AdminApi(http);
	}

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	StringRedisTemplate redis;

	private Path dir;

	private Path tlsDir;

	private KamailioProcess kamailio;

	private EdgeMetrics metrics;

	private Path watcherLog;

	private int tlsPort;

	private Entity serverCa;

	private Entity caA;

	private Entity caB;

	/** trunk A's client: CA A, CN trunk-a.example */
	private Entity clientA;

	/** CA A, but another CN */
	private Entity clientAWrongName;

	/** CA A claiming trunk B's name: trunk A's CA must not let it pass as trunk B */
	private Entity clientAAsB;

	/** trunk B's client: CA B, CN trunk-b.example */
	private Entity clientB;

	/** a CA no trunk links: not in the bundle */
	private Entity clientOfUnknownCa;

	private TlsPki pki;

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.withDefines("WITH_TLS", "WITH_OPTIONS_TRUNK_CHECK", "WITH_METRICS");

	@BeforeAll
	void startEdge() throws IOException {
		new TestUsers(jdbc).ensure();
		jdbc.update("delete from trunk");
		jdbc.update("delete from platform_secret");
		dir = edge.tempDir("telpro-tls-");
		tlsDir = Files.createDirectories(dir.resolve("tls"));
		pki = TlsPki.in(dir.resolve("pki"));
		serverCa = pki.ca("server-ca", "Edge Server CA");
		Entity server = pki.server("server", serverCa);
		caA = pki.ca("ca-a", "Carrier A Root");
		caB = pki.ca("ca-b", "Carrier B Root");
		clientA = pki.client("client-a", caA, "trunk-a.example");
		clientAWrongName = pki.client("client-a-wrong-name", caA, "someone-else.example");
		clientAAsB = pki.client("client-a-as-b", caA, "trunk-b.example");
		clientB = pki.client("client-b", caB, "trunk-b.example");
		Entity unknownCa = pki.ca("ca-unknown", "Nobody's Root");
		clientOfUnknownCa = pki.client("client-unknown", unknownCa, "trunk-a.example");

		Files.copy(server.certificate(), tlsDir.resolve("server.crt"));
		Files.copy(server.key(), tlsDir.resolve("server.key"));
		// what docker-entrypoint.sh does before the first sync: a readable CA file that
		// trusts nobody
		Files.copy(pki.ca("placeholder", "placeholder").certificate(), tlsDir.resolve("ca-bundle.pem"));
		// the project's tls.cfg, its /etc/kamailio/tls/ files moved to this test's folder
		Path tlsCfg = KamailioEdge.tlsConfig(dir, tlsDir);

		TestServers servers = TestServers.get();
		tlsPort = Loopback.freeSipPort();
		int metricsPort = Loopback.freeSipPort();
		kamailio = edge.start("edge-tls", servers.redisPort(), Loopback.freeSipPort(),
				"TLS_LISTEN_ADDR=127.0.0.1:" + tlsPort, "TLS_CFG=\"" + tlsCfg + "\"",
				"METRICS_ADDR=127.0.0.1:" + metricsPort);
		metrics = new EdgeMetrics(metricsPort);
		watcherLog = dir.resolve("watcher.log");
		edge.startTlsWatcher(kamailio, "edge-tls", servers.redisPort(), tlsDir, watcherLog);

		long a = uploadCa("carrier-a-root", caA);
		long b = uploadCa("carrier-b-root", caB);
		api().createTrunk(trunk("no-tls", "plain.example"));
		Map<String, Object> tlsOnly = trunk("tls-only", "tls-only.example");
		tlsOnly.put("require_tls", true);
		api().createTrunk(tlsOnly);
		Map<String, Object> verify = trunk("verify-a", "verify.example");
		verify.putAll(
				Map.of("require_tls", true, "verify_peer", true, "require_client_cert", true, "tls_ca_secret_id", a));
		api().createTrunk(verify);
		Map<String, Object> peerName = trunk("peer-name-a", "peer-name.example");
		peerName.putAll(Map.of("require_tls", true, "verify_peer", true, "peer_name_verification", "enabled",
				"tls_remote_subject_name", "trunk-a.example", "tls_ca_secret_id", a));
		api().createTrunk(peerName);
		api().createTrunk(fullMtls("mtls-b", "mtls-b.example", "trunk-b.example", b));
		awaitProxyOn(api().sync());
		// the watcher applies the bundle (CA A + CA B) with tls.reload within a poll or
		// two
		Await.until(() -> client(clientA).options(tlsPort, "verify.example").status() == 200, ROTATION_LIMIT,
				() -> "watcher:\n" + watcherOutput());
	}

	@Test
	@Order(1)
	void theConfigWithTlsPassesKamailiosCheck() {
		ProcessResult check = KamailioProcess.checkConfig("WITH_TLS", "TLS_CFG=\"" + dir.resolve("tls.cfg") + "\"");
		assertThat(check.exitCode()).as(check.output()).isZero();
		assertThat(check.output()).contains("tls: 127.0.0.1");
	}

	@Test
	@Order(2)
	void noTlsTrunkTakesPlainAndTlsTraffic() {
		assertThat(SipTlsClient.udpOptions(kamailio.port(), "plain.example")).isEqualTo(200);
		assertThat(anonymous().options(tlsPort, "plain.example").status()).isEqualTo(200);
		assertThat(client(clientA).options(tlsPort, "plain.example").status()).isEqualTo(200);
	}

	@Test
	@Order(3)
	void tlsRequiredRefusesPlainUdpWith403AndTakesTlsWithoutACertificate() {
		assertThat(SipTlsClient.udpOptions(kamailio.port(), "tls-only.example")).isEqualTo(403);
		assertThat(anonymous().options(tlsPort, "tls-only.example").status()).isEqualTo(200);
	}

	@Test
	@Order(4)
	void verifyPeerTakesOnlyAClientCertificateOfTheTrunksOwnCa() {
		assertThat(client(clientA).options(tlsPort, "verify.example").status()).isEqualTo(200);
		Reply noCertificate = anonymous().options(tlsPort, "verify.example");
		assertThat(noCertificate.statusLine()).isEqualTo("SIP/2.0 403 Client Certificate Required");
		Reply otherTrunksCa = client(clientB).options(tlsPort, "verify.example");
		assertThat(otherTrunksCa.statusLine()).as("CA B is in the bundle, but it is not this trunk's CA")
			.isEqualTo("SIP/2.0 403 Certificate Not From Trunk CA");
		Reply unknownCa = client(clientOfUnknownCa).options(tlsPort, "verify.example");
		assertThat(unknownCa.statusLine()).as("a CA outside the bundle fails the handshake: %s", unknownCa).isNull();
		assertThat(SipTlsClient.udpOptions(kamailio.port(), "verify.example")).isEqualTo(403);
	}

	@Test
	@Order(5)
	void peerNameTakesOnlyTheExpectedCommonName() {
		assertThat(client(clientA).options(tlsPort, "peer-name.example").status()).isEqualTo(200);
		assertThat(client(clientAWrongName).options(tlsPort, "peer-name.example").statusLine())
			.isEqualTo("SIP/2.0 403 Peer Name Mismatch");
		assertThat(anonymous().options(tlsPort, "peer-name.example").status()).isEqualTo(403);
		assertThat(client(clientB).options(tlsPort, "peer-name.example").status()).as("right name, other CA")
			.isEqualTo(403);
	}

	@Test
	@Order(6)
	void fullMtlsWithPeerNameTakesItsOwnClientAndNotAClientOfAnotherTrunksCa() {
		assertThat(client(clientB).options(tlsPort, "mtls-b.example").status()).isEqualTo(200);
		Reply impostor = client(clientAAsB).options(tlsPort, "mtls-b.example");
		assertThat(impostor.statusLine()).as("CN trunk-b.example, but issued by trunk A's CA")
			.isEqualTo("SIP/2.0 403 Certificate Not From Trunk CA");
		assertThat(client(clientA).options(tlsPort, "mtls-b.example").status()).isEqualTo(403);
		assertThat(anonymous().options(tlsPort, "mtls-b.example").statusLine())
			.isEqualTo("SIP/2.0 403 Client Certificate Required");
		assertThat(SipTlsClient.udpOptions(kamailio.port(), "mtls-b.example")).isEqualTo(403);
		// trunk A's client still passes as trunk A on the same listener
		assertThat(client(clientA).options(tlsPort, "peer-name.example").status()).isEqualTo(200);
	}

	@Test
	@Order(7)
	void aNewCaIsTrustedWithinTenSecondsOfTheSyncWithoutARestart() {
		long pid = kamailio.pid();
		Entity caC = pki.ca("ca-c", "Carrier C Root");
		Entity clientC = pki.client("client-c", caC, "trunk-c.example");
		long c = uploadCa("carrier-c-root", caC);
		api().createTrunk(fullMtls("mtls-c", "mtls-c.example", "trunk-c.example", c));
		assertThat(client(clientC).options(tlsPort, "mtls-c.example").statusLine()).as("not trusted before the sync")
			.isNull();

		long synced = System.nanoTime();
		awaitProxyOn(api().sync());
		Await.until(() -> client(clientC).options(tlsPort, "mtls-c.example").status() == 200, ROTATION_LIMIT,
				() -> "watcher:\n" + watcherOutput());
		assertThat(Duration.ofNanos(System.nanoTime() - synced)).isLessThan(ROTATION_LIMIT);

		assertThat(kamailio.pid()).isEqualTo(pid);
		assertThat(client(clientB).options(tlsPort, "mtls-b.example").status()).isEqualTo(200);
		assertThat(client(clientC).options(tlsPort, "mtls-b.example").status()).as("C's client is not B")
			.isEqualTo(403);
	}

	@Test
	@Order(8)
	void noPrivateKeyInRedisTheApiOrTheLogs() throws IOException {
		String serverKey = Files.readString(tlsDir.resolve("server.key"));
		ResponseEntity<String> uploaded = http.exchange("/api/secrets", HttpMethod.POST,
				new HttpEntity<>(Map.of("name", "edge-server-key", "purpose", "TLS_SERVER_KEY", "pem", serverKey),
						TestUsers.adminHeaders()),
				String.class);
		assertThat(uploaded.getStatusCode()).as(uploaded.getBody()).isEqualTo(HttpStatus.CREATED);
		awaitProxyOn(api().sync());
		String keyBody = serverKey.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();

		StringBuilder everything = new StringBuilder(uploaded.getBody());
		everything.append(api().get("/api/secrets")).append(api().get("/api/trunks"));
		for (String key : redis.keys("telpro:*")) {
			if ("string".equals(redis.type(key).code())) {
				everything.append(redis.opsForValue().get(key));
			}
		}
		everything.append(kamailio.log()).append(Files.readString(watcherLog, StandardCharsets.UTF_8));
		for (Entity e : List.of(caA, caB, clientA, clientB)) {
			String body = Files.readString(e.key())
				.lines()
				.filter(l -> !l.startsWith("-----"))
				.findFirst()
				.orElseThrow();
			assertThat(everything).doesNotContain(body);
		}
		assertThat(everything).contains("Carrier A Root").doesNotContain("PRIVATE KEY").doesNotContain(keyBody);
	}

	@Test
	@Order(9)
	void eachTlsRefusalOfAnInviteIsOneCallRecordAndOneCountWithItsReason() {
		Map<String, Double> before = metrics.scrape();
		Map<String, String> expectedReasons = new HashMap<>();
		for (int i = 0; i < 2; i++) {
			String callId = UUID.randomUUID() + "@tls-test";
			assertThat(anonymous().invite(tlsPort, "verify.example", callId).statusLine())
				.isEqualTo("SIP/2.0 403 Client Certificate Required");
			expectedReasons.put(callId, "client_cert_missing");
		}
		String otherCa = UUID.randomUUID() + "@tls-test";
		assertThat(client(clientB).invite(tlsPort, "verify.example", otherCa).statusLine())
			.isEqualTo("SIP/2.0 403 Certificate Not From Trunk CA");
		expectedReasons.put(otherCa, "cert_not_from_trunk_ca");
		String wrongName = UUID.randomUUID() + "@tls-test";
		assertThat(client(clientAWrongName).invite(tlsPort, "peer-name.example", wrongName).statusLine())
			.isEqualTo("SIP/2.0 403 Peer Name Mismatch");
		expectedReasons.put(wrongName, "peer_name_mismatch");

		// issue 21: of every requests_total series only these moved, by the INVITEs sent
		Map<String, Double> expected = Map.of(EdgeMetrics.requests("verify-a", "client_cert_missing", "INVITE"), 2.0,
				EdgeMetrics.requests("verify-a", "cert_not_from_trunk_ca", "INVITE"), 1.0,
				EdgeMetrics.requests("peer-name-a", "peer_name_mismatch", "INVITE"), 1.0);
		Await.until(() -> requestsDelta(before, metrics.scrape()).equals(expected), Duration.ofSeconds(5),
				() -> "requests_total moved by " + requestsDelta(before, metrics.scrape()));
		// issue 17: one stored call record per attempt, with its reason (the admin
		// service
		// consumes the stream into call_records)
		expectedReasons.forEach((callId, reason) -> {
			Supplier<List<String>> stored = () -> jdbc.queryForList("select reason from call_records where call_id = ?",
					String.class, callId);
			Await.until(() -> !stored.get().isEmpty(), Duration.ofSeconds(10));
			assertThat(stored.get()).as("call records of %s", callId).containsExactly(reason);
		});
	}

	private static Map<String, Double> requestsDelta(Map<String, Double> before, Map<String, Double> after) {
		Map<String, Double> out = new TreeMap<>();
		after.forEach((k, v) -> {
			double d = v - before.getOrDefault(k, 0.0);
			if (k.startsWith("telpro_edge_requests_total{") && d != 0) {
				out.put(k, d);
			}
		});
		return out;
	}

	// ------------------------------------------------------------------------------------------

	private SipTlsClient anonymous() {
		return SipTlsClient.anonymous(serverCa.certificate());
	}

	private SipTlsClient client(Entity certificate) {
		return SipTlsClient.withCertificate(serverCa.certificate(), certificate);
	}

	private static Map<String, Object> trunk(String name, String fromDomain) {
		Map<String, Object> trunk = new HashMap<>();
		trunk.put("name", name);
		trunk.put("identify_by", List.of("source_ip", "from_domain"));
		trunk.put("allowed_ips", List.of("127.0.0.1/32"));
		trunk.put("from_domain_pattern", "^" + fromDomain.replace(".", "\\.") + "$");
		trunk.put("auth_method", "ip_only");
		return trunk;
	}

	private static Map<String, Object> fullMtls(String name, String fromDomain, String commonName, long ca) {
		Map<String, Object> trunk = trunk(name, fromDomain);
		trunk.putAll(Map.of("require_tls", true, "verify_peer", true, "require_client_cert", true,
				"peer_name_verification", "enabled", "tls_remote_subject_name", commonName, "tls_ca_secret_id", ca));
		return trunk;
	}

	private long uploadCa(String name, Entity ca) {
		return api()
			.post("/api/secrets", Map.of("name", name, "purpose", "CA_CERT", "pem", ca.certificatePem()),
					HttpStatus.CREATED)
			.get("id")
			.asLong();
	}

	private void awaitProxyOn(long generation) {
		kamailio.awaitGeneration(generation);
	}

	private String watcherOutput() {
		try {
			return Files.readString(watcherLog, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

}
