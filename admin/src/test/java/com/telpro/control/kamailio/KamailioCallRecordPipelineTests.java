package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.telpro.control.TelproApplication;
import com.telpro.control.support.Await;
import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.Loopback;
import com.telpro.control.support.Sipp;
import com.telpro.control.support.Sipp.Result;
import com.telpro.control.support.SippLoad;
import com.telpro.control.support.TestServersPostProcessor;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Call records end to end: the project's Kamailio appends one record per INVITE attempt
 * to the Redis stream, the admin service (a context of its own, with a PostgreSQL and a
 * Redis of this class's own so they can be stopped) stores them in {@code call_records}.
 * Every outcome gives exactly one row with its reason; long values are stored whole;
 * PostgreSQL, the admin service and Redis each go away under load and every call is still
 * there exactly once; a flood of unmatched INVITEs gives a bounded number of rows that
 * still count every attempt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KamailioCallRecordPipelineTests {

	private static final String NODE = "edge-rec";

	private final ContractRedis redis = ContractRedis.persistent();

	private final int postgresPort = Loopback.freeSipPort();

	private final int backendPort = Loopback.freeSipPort();

	private Path dataDir;

	private EmbeddedPostgres postgres;

	private ConfigurableApplicationContext service;

	private Sipp.Backend backend;

	private KamailioProcess kamailio;

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.create();

	@BeforeAll
	void start() throws Exception {
		dataDir = Files.createTempDirectory("telpro-records-pg-");
		// the tests stop and restart PostgreSQL, the service and the backend: whichever
		// runs at the end is closed
		edge.usesCurrent(() -> postgres);
		postgres = startPostgres();
		edge.uses(redis).start();
		edge.usesCurrent(() -> service);
		service = startService();
		edge.usesCurrent(() -> backend);
		backend = Sipp.backend(backendPort);
		kamailio = edge.start(NODE, redis.port(), backendPort);
		edge.load(() -> redis.publish(List.of(
				EdgeTrunk.named("carrier", 10)
					.cidrs("127.0.0.2/32", "127.0.0.21/32", "127.0.0.22/32", "127.0.0.23/32")
					.set("unique_id_header", "X-Carrier-CallSid"),
				EdgeTrunk.named("capped", 20).cidrs("127.0.0.4/32").set("max_concurrent_calls", 1),
				EdgeTrunk.named("xcall", 20).cidrs("127.0.0.5/32").set("requires_x_call", true),
				EdgeTrunk.named("digest", 20)
					.identifyBy("from_domain")
					.fromDomain("^digest\\.example$")
					.digest("digest", null, "duser", "dpass"),
				EdgeTrunk.named("ip-digest", 30)
					.identifyBy("from_domain")
					.fromDomain("^ipdigest\\.example$")
					.cidrs("127.0.0.7/32")
					.digest("ip_and_digest", "edge.telpro", "iduser", "idpass"),
				EdgeTrunk.named("tls-only", 30).cidrs("127.0.0.8/32").set("require_tls", true))));
	}

	private EmbeddedPostgres startPostgres() throws Exception {
		return EmbeddedPostgres.builder()
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			.setPort(postgresPort)
			.setServerConfig("listen_addresses", "127.0.0.1")
			.start();
	}

	private ConfigurableApplicationContext startService() {
		return new SpringApplicationBuilder(TelproApplication.class).run("--server.port=0",
				"--" + TestServersPostProcessor.OWN_SERVERS + "=true",
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres",
				"--spring.datasource.username=postgres", "--spring.datasource.password=",
				"--spring.data.redis.url=redis://127.0.0.1:" + redis.port(), "--telpro.calls.poll-interval=100ms",
				"--telpro.embedded.data-dir=target/embedded-call-records", "--telpro.embedded.clean=true");
	}

	private JdbcTemplate db() {
		SingleConnectionDataSource ds = new SingleConnectionDataSource(
				"jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres", "postgres", "", true);
		return new JdbcTemplate(ds);
	}

	private <T> T query(java.util.function.Function<JdbcTemplate, T> q) {
		JdbcTemplate jdbc = db();
		try {
			return q.apply(jdbc);
		}
		finally {
			((SingleConnectionDataSource) jdbc.getDataSource()).destroy();
		}
	}

	/**
	 * "reason status trunk" of every row of this Call-ID, once there are
	 * {@code expected}.
	 */
	private List<String> awaitRecords(String callId, int expected) {
		String sql = "select reason || ' ' || coalesce(status::text, '-') || ' ' || coalesce(trunk, '-') from call_records"
				+ " where call_id = ? order by arrived_at, id";
		Await.until(() -> query(j -> j.queryForList(sql, String.class, callId)).size() >= expected,
				Duration.ofSeconds(15), () -> "records of " + callId + ": "
						+ query(j -> j.queryForList(sql, String.class, callId)) + "\n" + tail(kamailio.log()));
		return query(j -> j.queryForList(sql, String.class, callId));
	}

	private static boolean udpPortFree(int port) {
		try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
			return true;
		}
		catch (java.io.IOException taken) {
			return false;
		}
	}

	private int count(String sql, Object... args) {
		Integer n = query(j -> j.queryForObject(sql, Integer.class, args));
		return n == null ? 0 : n;
	}

	private static String tail(String log) {
		return log.substring(Math.max(0, log.length() - 3000));
	}

	private Sipp.Uac uac(String scenario) {
		return Sipp.uac(scenario, kamailio.address());
	}

	// ------------------------------------------------------------------ every outcome

	@Test
	@Order(1)
	void anAnsweredCallIsOneRecordWithItsAnswerEndAndDuration() {
		Result call = uac("uac_call.xml").from("127.0.0.2").header("X-Carrier-CallSid: CA77").run();
		assertThat(call.passed()).as(call.output()).isTrue();

		assertThat(awaitRecords(call.callId(), 1)).containsExactly("answered 200 carrier");
		Await.until(() -> query(j -> j.queryForObject("select ended_at is not null from call_records where call_id = ?",
				Boolean.class, call.callId())), Duration.ofSeconds(15));
		Map<String, Object> row = query(
				j -> j.queryForMap("select * from call_records where call_id = ?", call.callId()));
		assertThat(row).containsEntry("node", NODE)
			.containsEntry("ext_call_id", "CA77")
			.containsEntry("src_ip", "127.0.0.2")
			.containsEntry("transport", "udp")
			.containsEntry("from_user", "alice")
			.containsEntry("ruri_user", "15551234")
			.containsEntry("outcome", "answered")
			.containsEntry("attempts", 1);
		assertThat(row.get("answered_at")).isNotNull();
		assertThat(row.get("arrived_at")).isNotNull();
	}

	@Test
	@Order(2)
	void everyRefusalIsOneRecordWithTheEdgesReason() {
		Result noMatch = uac("uac_invite_rejected.xml").from("127.0.0.99").run();
		assertThat(noMatch.lastStatus()).as(noMatch.output()).isEqualTo("403 Forbidden");
		Result tls = uac("uac_invite_rejected.xml").from("127.0.0.8").run();
		assertThat(tls.lastStatus()).as(tls.output()).isEqualTo("403 TLS Required");
		Result xcallMissing = uac("uac_invite_rejected.xml").from("127.0.0.5").run();
		assertThat(xcallMissing.lastStatus()).as(xcallMissing.output()).isEqualTo("403 X-Call-ID required");
		Result xcallUnknown = uac("uac_invite_rejected.xml").from("127.0.0.5")
			.header("X-Call-ID: " + "ab".repeat(16))
			.run();
		assertThat(xcallUnknown.lastStatus()).as(xcallUnknown.output()).startsWith("403 X-Call-ID unknown");
		Result wrongIp = uac("uac_invite_rejected.xml").from("127.0.0.70").fromDomain("ipdigest.example").run();
		assertThat(wrongIp.lastStatus()).as(wrongIp.output()).isEqualTo("403 Forbidden");
		Result wrongPassword = uac("uac_digest_rejected.xml").from("127.0.0.50")
			.fromDomain("digest.example")
			.credentials("duser", "nope")
			.run();
		assertThat(wrongPassword.lastStatus()).as(wrongPassword.output()).isEqualTo("403 Forbidden");

		assertThat(awaitRecords(noMatch.callId(), 1)).containsExactly("no_match 403 -");
		assertThat(awaitRecords(tls.callId(), 1)).containsExactly("tls_required 403 tls-only");
		assertThat(awaitRecords(xcallMissing.callId(), 1)).containsExactly("xcall_missing 403 xcall");
		assertThat(awaitRecords(xcallUnknown.callId(), 1)).containsExactly("xcall_unknown 403 xcall");
		assertThat(awaitRecords(wrongIp.callId(), 1)).containsExactly("source_not_allowed 403 ip-digest");
		// the challenge and the refused retry: two attempts (CSeq 1 and 2) of one Call-ID
		assertThat(awaitRecords(wrongPassword.callId(), 2)).containsExactly("auth_challenged 407 digest",
				"auth_failed 403 digest");
	}

	@Test
	@Order(3)
	void aChallengedThenAnsweredCallIsTwoAttempts() {
		Result r = uac("uac_call_digest.xml").from("127.0.0.50")
			.fromDomain("digest.example")
			.credentials("duser", "dpass")
			.run();
		assertThat(r.passed()).as(r.output()).isTrue();
		assertThat(awaitRecords(r.callId(), 2)).containsExactly("auth_challenged 407 digest", "answered 200 digest");
	}

	@Test
	@Order(4)
	void aCallOverTheTrunksCapIsRecordedAsLimitConcurrent() {
		CompletableFuture<Result> first = CompletableFuture
			.supplyAsync(() -> uac("uac_call.xml").from("127.0.0.4").holdFor(Duration.ofMillis(2500)).run());
		Await.until(() -> query(j -> j.queryForObject(
				"select count(*) from call_records where trunk = 'capped' and reason = 'answered'",
				Integer.class)) == 1, Duration.ofSeconds(10));
		Result second = uac("uac_invite_rejected.xml").from("127.0.0.4").run();
		assertThat(second.lastStatus()).as(second.output()).isEqualTo("486 Busy Here");
		assertThat(first.join().passed()).isTrue();
		assertThat(awaitRecords(second.callId(), 1)).containsExactly("limit_concurrent 486 capped");
	}

	@Test
	@Order(5)
	void aCallTheBackendRefusesIsRecordedAsBackendFailed() {
		backend.close();
		Result refused;
		try (Sipp.Backend busy = Sipp.backendForOneCall(backendPort, "uas_backend_busy.xml")) {
			Await.until(() -> !udpPortFree(backendPort), Duration.ofSeconds(10));
			refused = uac("uac_invite_relayed_refused.xml").from("127.0.0.2").run();
		}
		finally {
			backend = Sipp.backend(backendPort);
		}
		assertThat(refused.lastStatus()).as(refused.output()).isEqualTo("486 Busy Here");
		assertThat(awaitRecords(refused.callId(), 1)).containsExactly("backend_failed 486 carrier");
	}

	@Test
	@Order(5)
	void aCallTheCallerCancelsIsRecordedAsCallerCancelled() {
		backend.close();
		Result cancelled;
		try (Sipp.Backend ringing = Sipp.mediaBackend(backendPort)) {
			Await.until(() -> !udpPortFree(backendPort), Duration.ofSeconds(10));
			cancelled = uac("uac_media_cancel.xml").from("127.0.0.2").header("X-Test-Action: ring").run();
		}
		finally {
			backend = Sipp.backend(backendPort);
		}
		assertThat(cancelled.lastStatus()).as(cancelled.output()).isEqualTo("487 Request Terminated");
		assertThat(awaitRecords(cancelled.callId(), 1)).containsExactly("caller_cancelled 487 carrier");
	}

	@Test
	@Order(6)
	void aThousandCharacterFromUserAndExternalIdAreStoredWhole() {
		String user = "1".repeat(1000);
		String external = "CA" + "x".repeat(998);
		Result call = uac("uac_call.xml").from("127.0.0.2")
			.key("from_user", user)
			.header("X-Carrier-CallSid: " + external)
			.run();
		assertThat(call.passed()).as(call.output()).isTrue();

		assertThat(awaitRecords(call.callId(), 1)).containsExactly("answered 200 carrier");
		Map<String, Object> row = query(
				j -> j.queryForMap("select from_user, ext_call_id from call_records where call_id = ?", call.callId()));
		assertThat(row.get("from_user")).isEqualTo(user);
		assertThat(row.get("ext_call_id")).isEqualTo(external);
		// and found by either, as the Calls tab searches
		assertThat(count(
				"select count(*) from call_records where left(ext_call_id, 200) = left(?, 200) and ext_call_id = ?",
				external, external))
			.isEqualTo(1);
	}

	// ------------------------------------------------------------------ nothing lost

	private int answeredFrom(String source) {
		return query(j -> j.queryForObject("select count(*) from call_records where src_ip = ? and reason = 'answered'",
				Integer.class, source));
	}

	private int rowsFrom(String source) {
		return query(
				j -> j.queryForObject("select count(*) from call_records where src_ip = ?", Integer.class, source));
	}

	private int distinctCallsFrom(String source) {
		return query(j -> j.queryForObject("select count(distinct call_id) from call_records where src_ip = ?",
				Integer.class, source));
	}

	private void assertEveryCallOnce(String source, SippLoad.Result load) {
		assertThat(load.successful()).as(load.toString()).isGreaterThan(0);
		assertThat(load.failed()).as(load.toString()).isZero();
		Await.until(() -> answeredFrom(source) >= load.successful(), Duration.ofSeconds(60),
				() -> answeredFrom(source) + " of " + load.successful() + " calls recorded\n" + tail(kamailio.log()));
		assertThat(rowsFrom(source)).as("rows, no duplicates").isEqualTo((int) load.successful());
		assertThat(distinctCallsFrom(source)).isEqualTo((int) load.successful());
		Await.until(() -> query(
				j -> j.queryForObject("select count(*) from call_records where src_ip = ? and ended_at is not null",
						Integer.class, source)) == load.successful(),
				Duration.ofSeconds(30), () -> "ends of " + source);
	}

	@Test
	@Order(10)
	void postgresStoppedForThirtySecondsUnderLoadLosesNoRecord() throws Exception {
		// 8 calls/s for 32 s: 256 calls, at least 200 of them while PostgreSQL is down
		CompletableFuture<SippLoad.Result> load = SippLoad.of("uac_call.xml", kamailio.address())
			.from("127.0.0.21")
			.rate(8, 256)
			.start();
		postgres.close();
		postgres = null;
		try {
			Thread.sleep(30_000);
		}
		finally {
			postgres = startPostgres();
		}
		assertEveryCallOnce("127.0.0.21", load.get(90, TimeUnit.SECONDS));
	}

	@Test
	@Order(11)
	void theAdminServiceStoppedAndRestartedMidRunLosesNoRecord() throws Exception {
		CompletableFuture<SippLoad.Result> load = SippLoad.of("uac_call.xml", kamailio.address())
			.from("127.0.0.22")
			.rate(10, 120)
			.start();
		Thread.sleep(3_000);
		service.close();
		service = null;
		try {
			Thread.sleep(4_000);
		}
		finally {
			service = startService();
		}
		assertEveryCallOnce("127.0.0.22", load.get(90, TimeUnit.SECONDS));
	}

	@Test
	@Order(12)
	void redisStoppedForTenSecondsMidRunLosesNoRecord() throws Exception {
		CompletableFuture<SippLoad.Result> load = SippLoad.of("uac_call.xml", kamailio.address())
			.from("127.0.0.23")
			.rate(10, 150)
			.start();
		Thread.sleep(2_000);
		redis.stop();
		try {
			Thread.sleep(10_000);
		}
		finally {
			redis.start();
		}
		SippLoad.Result result = load.get(90, TimeUnit.SECONDS);
		assertEveryCallOnce("127.0.0.23", result);
		assertThat(kamailio.log()).contains("spooled call records replayed");
	}

	// ------------------------------------------------------------------ bounded under
	// attack

	@Test
	@Order(20)
	void tenThousandUnmatchedInvitesGiveABoundedNumberOfRowsThatCountEveryAttempt() throws Exception {
		String source = "127.0.0.66";
		int total = 10_000;
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(source, 0));
			socket.connect(new InetSocketAddress("127.0.0.1", kamailio.port()), 2000);
			InputStream in = socket.getInputStream();
			// drain the 403s so the edge never waits on this connection
			Thread drain = new Thread(() -> {
				byte[] buffer = new byte[65536];
				try {
					while (in.read(buffer) >= 0) {
						// discard
					}
				}
				catch (java.io.IOException closed) {
					// the test closed the socket
				}
			});
			drain.setDaemon(true);
			drain.start();
			OutputStream out = socket.getOutputStream();
			String local = source + ":" + socket.getLocalPort();
			for (int i = 0; i < total; i++) {
				out.write(flood(i, local, kamailio.port()));
			}
			out.flush();
			Await.until(() -> attemptsFrom(source) >= total, Duration.ofSeconds(60),
					() -> attemptsFrom(source) + " attempts recorded of " + total + "\n" + tail(kamailio.log()));
		}
		assertThat(attemptsFrom(source)).isEqualTo(total);
		int rows = rowsFrom(source);
		// per reason (no_match, then banned) and minute: 10 records one by one and one
		// aggregate
		assertThat(rows).as("rows").isLessThanOrEqualTo(2 * 2 * 11);
		assertThat(count("select count(*) from call_records where src_ip = ? and aggregated and attempts > 1", source))
			.isGreaterThan(0);
		// pike bans the source within the first 2 s: its later INVITEs are dropped,
		// recorded as banned
		assertThat(count("select count(*) from call_records where src_ip = ? and reason = 'no_match' and status = 403"
				+ " and outcome = 'refused'", source))
			.isGreaterThan(0);
		assertThat(count("select coalesce(sum(attempts), 0) from call_records where src_ip = ? and reason = 'banned'"
				+ " and status = 0 and outcome = 'dropped'", source))
			.isGreaterThan(0);
	}

	private int attemptsFrom(String source) {
		return query(j -> j.queryForObject("select coalesce(sum(attempts), 0) from call_records where src_ip = ?",
				Integer.class, source));
	}

	private static byte[] flood(int i, String local, int port) {
		String id = "flood-" + i + "-" + System.nanoTime();
		String msg = "INVITE sip:15550000@127.0.0.1:" + port + " SIP/2.0\r\n" + "Via: SIP/2.0/TCP " + local
				+ ";branch=z9hG4bK" + id + "\r\n" + "Max-Forwards: 70\r\n" + "From: <sip:flood@attacker.example>;tag="
				+ i + "\r\n" + "To: <sip:15550000@127.0.0.1>\r\n" + "Call-ID: " + id + "\r\n" + "CSeq: 1 INVITE\r\n"
				+ "Contact: <sip:flood@" + local + ";transport=tcp>\r\n" + "Content-Length: 0\r\n\r\n";
		return msg.getBytes(StandardCharsets.US_ASCII);
	}

}
