package com.telpro.control.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.contract.Certificates;
import com.telpro.contract.RedisContract;
import com.telpro.control.secret.TestPki;
import com.telpro.control.support.Await;
import com.telpro.control.support.SentinelRedis;
import com.telpro.control.support.TestServers;
import com.telpro.control.sync.TlsMaterialPublisher;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The watcher against the real embedded Redis and a fake kamcmd; a Kamailio TLS test
 * comes later.
 */
class TlsWatcherTests {

	private static String redisUrl;

	private static RedisClient client;

	private static StatefulRedisConnection<String, String> connection;

	private static RedisCommands<String, String> redis;

	private static String caA;

	private static String caB;

	@TempDir
	Path dir;

	private Path tlsDir;

	private FakeKamcmd kamcmd;

	private TlsWatcher watcher;

	@BeforeAll
	static void startRedis() {
		redisUrl = "redis://127.0.0.1:" + TestServers.get().redisPort();
		client = RedisClient.create(redisUrl);
		connection = client.connect();
		redis = connection.sync();
		caA = TestPki.ca("Watcher Root A", 365).certificatePem();
		caB = TestPki.ca("Watcher Root B", 365).certificatePem();
	}

	@AfterAll
	static void stopClient() {
		connection.close();
		client.shutdown();
	}

	@BeforeEach
	void setUp() throws IOException {
		redis.del(RedisContract.TLS_CA_BUNDLE, RedisContract.TLS_CA_BUNDLE_SHA256,
				RedisContract.TLS_WATCHER_PREFIX + "test-edge");
		tlsDir = Files.createDirectories(dir.resolve("tls"));
		kamcmd = new FakeKamcmd(Files.createDirectories(dir.resolve("kamcmd")), tlsDir.resolve("ca-bundle.pem"));
		watcher = newWatcher(redisUrl);
	}

	@AfterEach
	void close() {
		watcher.close();
	}

	@Test
	void doesNothingUntilMaterialIsPublished() {
		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.NOTHING_PUBLISHED);
		assertThat(kamcmd.calls()).isEmpty();
		assertThat(caFile()).doesNotExist();
	}

	@Test
	void writesANewBundleAndReloadsOnlyWhenItsHashChanges() throws IOException {
		publish(caA);

		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.APPLIED);
		assertThat(Files.readString(caFile())).isEqualTo(caA);
		assertThat(kamcmd.seenAtReload(1)).isEqualTo(caA);
		assertThat(kamcmd.calls()).containsExactly("-s unix:/run/test/kamailio_ctl core.shmmem",
				"-s unix:/run/test/kamailio_ctl tls.reload", "-s unix:/run/test/kamailio_ctl tls.info",
				"-s unix:/run/test/kamailio_ctl core.shmmem");
		assertThat(watcher.appliedSha256()).isEqualTo(Certificates.sha256Hex(caA));

		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.UNCHANGED);
		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.UNCHANGED);
		assertThat(kamcmd.reloads()).isOne();

		publish(caA + caB);
		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.APPLIED);
		assertThat(kamcmd.reloads()).isEqualTo(2);
		assertThat(kamcmd.seenAtReload(2)).isEqualTo(caA + caB);
		assertThat(tlsDir).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
	}

	@Test
	void neverWritesMaterialThatIsNotCertificates() throws IOException {
		publish(caA);
		watcher.pollOnce();
		TestPki.Issued withKey = TestPki.ca("Leaked", 365);

		for (String bad : List.of(caB + withKey.privateKeyPem(), "not pem at all",
				"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")) {
			publish(bad);
			assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.REJECTED);
			assertThat(Files.readString(caFile())).isEqualTo(caA);
		}
		assertThat(kamcmd.reloads()).isOne();
		assertThat(watcher.appliedSha256()).isEqualTo(Certificates.sha256Hex(caA));
	}

	@Test
	void keepsTheCurrentFileForAnEmptyBundle() throws IOException {
		publish(caA);
		watcher.pollOnce();
		publish("");
		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.EMPTY);
		assertThat(Files.readString(caFile())).isEqualTo(caA);
		assertThat(kamcmd.reloads()).isOne();
	}

	@Test
	void anEmptyBundleIsTheNormalNoCaStateAndLogsNoError() {
		Logger logger = (Logger) LoggerFactory.getLogger(TlsWatcher.class);
		ListAppender<ILoggingEvent> events = new ListAppender<>();
		events.start();
		logger.addAppender(events);
		try {
			publish("");
			assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.EMPTY);
			assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.WAITING_TO_RETRY);
		}
		finally {
			logger.detachAppender(events);
		}
		assertThat(events.list).extracting(e -> e.getLevel().toString()).doesNotContain("ERROR", "WARN");
		assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
			.anySatisfy(m -> assertThat(m).contains("no enabled trunk has a CA"));
		assertThat(kamcmd.reloads()).isZero();
	}

	@Test
	void putsThePreviousFileBackWhenTheReloadFailsAndRetriesOnlyAfterAWhile() throws IOException {
		publish(caA);
		watcher.pollOnce();
		kamcmd.failReload(1);
		publish(caA + caB);

		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.RELOAD_FAILED);
		assertThat(kamcmd.seenAtReload(2)).isEqualTo(caA + caB);
		assertThat(Files.readString(caFile())).isEqualTo(caA);
		assertThat(watcher.appliedSha256()).isEqualTo(Certificates.sha256Hex(caA));

		// retry-polls is 2: two polls wait, the third tries again
		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.WAITING_TO_RETRY);
		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.WAITING_TO_RETRY);
		assertThat(kamcmd.reloads()).isEqualTo(2);
		kamcmd.reloadSucceeds();
		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.APPLIED);
		assertThat(kamcmd.reloads()).isEqualTo(3);
		assertThat(Files.readString(caFile())).isEqualTo(caA + caB);
	}

	@Test
	void anRpcErrorIsAFailureEvenWhenKamcmdExitsZero() throws IOException {
		kamcmd.failReload(0);
		publish(caA);

		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.RELOAD_FAILED);
		assertThat(caFile()).doesNotExist();
		assertThat(watcher.appliedSha256()).isNull();
	}

	@Test
	void putsThePreviousFileBackWhenKamailioStopsAnsweringAfterTheReload() throws IOException {
		publish(caA);
		watcher.pollOnce();
		kamcmd.dieAfterReload();
		publish(caB);

		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.RELOAD_FAILED);
		assertThat(Files.readString(caFile())).isEqualTo(caA);
	}

	@Test
	void writesTheBundleForAKamailioThatIsNotRunningYetAndDoesNotReloadOneThatStartedAfter() throws IOException {
		kamcmd.down();
		publish(caA);

		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.WRITTEN_AWAITING_KAMAILIO);
		assertThat(Files.readString(caFile())).isEqualTo(caA);
		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.WRITTEN_AWAITING_KAMAILIO);

		kamcmd.up(0);
		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.APPLIED);
		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.UNCHANGED);
		assertThat(kamcmd.reloads()).isZero();
	}

	@Test
	void reloadsOnceAKamailioThatWasRunningAnswersAgain() throws IOException {
		kamcmd.down();
		publish(caA);
		watcher.pollOnce();

		kamcmd.up(86_400);
		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.APPLIED);
		assertThat(kamcmd.reloads()).isOne();
		assertThat(kamcmd.seenAtReload(1)).isEqualTo(caA);
		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.UNCHANGED);
		assertThat(kamcmd.reloads()).isOne();
	}

	@Test
	void waitsWhileTheBundleDoesNotMatchItsHash() {
		redis.set(RedisContract.TLS_CA_BUNDLE, caA);
		redis.set(RedisContract.TLS_CA_BUNDLE_SHA256, Certificates.sha256Hex(caB));

		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.INCOMPLETE);
		assertThat(kamcmd.reloads()).isZero();
		assertThat(caFile()).doesNotExist();
	}

	@Test
	void keepsTheMaterialInForceWhileRedisIsUnreachable() throws IOException {
		publish(caA);
		watcher.pollOnce();
		int closedPort;
		try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		try (TlsWatcher cut = newWatcher("redis://127.0.0.1:" + closedPort)) {
			assertThat(cut.pollOnce()).isEqualTo(TlsWatcher.Outcome.REDIS_UNAVAILABLE);
			assertThat(cut.appliedSha256()).isEqualTo(Certificates.sha256Hex(caA));
		}
		assertThat(Files.readString(caFile())).isEqualTo(caA);
		assertThat(kamcmd.reloads()).isOne();
	}

	@Test
	void aRestartedWatcherDoesNotReloadMaterialAlreadyInForce() {
		publish(caA);
		watcher.pollOnce();
		watcher.close();

		watcher = newWatcher(redisUrl);
		assertThat(watcher.pollOnce()).isEqualTo(TlsWatcher.Outcome.UNCHANGED);
		assertThat(kamcmd.reloads()).isOne();
	}

	@Test
	void reportsWhatItDidInItsStatusKey() throws IOException {
		publish(caA);
		watcher.pollOnce();

		JsonNode status = new ObjectMapper().readTree(redis.get(RedisContract.TLS_WATCHER_PREFIX + "test-edge"));
		assertThat(status.get("outcome").asText()).isEqualTo("applied");
		assertThat(status.get("applied_sha256").asText()).isEqualTo(Certificates.sha256Hex(caA));
		assertThat(status.get("shm_real_used_after").asLong())
			.isGreaterThan(status.get("shm_real_used_before").asLong());
		assertThat(redis.ttl(RedisContract.TLS_WATCHER_PREFIX + "test-edge")).isPositive();
	}

	@Test
	void runsAsItsOwnProgramWithoutTheWebApplication() throws Exception {
		publish(caA);
		Path log = dir.resolve("watcher.log");
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), TlsWatcher.class.getName(), "--redis", redisUrl, "--tls-dir",
				tlsDir.toString(), "--ctl", "unix:/run/test/kamailio_ctl", "--kamcmd", kamcmd.path(), "--interval", "1",
				"--node", "process-edge")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (kamcmd.calls().size() < 4 && process.isAlive() && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			assertThat(kamcmd.reloads()).as(Files.readString(log)).isOne();
		}
		finally {
			process.destroy();
			process.waitFor(20, TimeUnit.SECONDS);
		}
		String output = Files.readString(log, StandardCharsets.UTF_8);
		assertThat(output).contains("TLS watcher started")
			.contains("in force after tls.reload")
			.contains("shm real_used")
			.doesNotContain("Tomcat")
			.doesNotContain("Spring");
		assertThat(Files.readString(caFile())).isEqualTo(caA);
	}

	@Test
	void throughSentinelItFollowsAFailoverToTheNewPrimary() {
		try (SentinelRedis sentinel = new SentinelRedis()) {
			sentinel.start();
			publishOn(sentinel, caA);
			try (TlsWatcher viaSentinel = newWatcher(sentinel.sentinelUrl())) {
				assertThat(viaSentinel.pollOnce()).isEqualTo(TlsWatcher.Outcome.APPLIED);
				sentinel.killPrimary();
				Await.until(() -> {
					try {
						return Integer.parseInt(sentinel.masterAddress()[1]) == sentinel.replicaPort();
					}
					catch (RuntimeException notYet) {
						return false;
					}
				}, Duration.ofSeconds(30));
				publishOn(sentinel, caB);
				Await.until(() -> viaSentinel.pollOnce() == TlsWatcher.Outcome.APPLIED, Duration.ofSeconds(30));
				assertThat(viaSentinel.appliedSha256()).isEqualTo(Certificates.sha256Hex(caB));
			}
		}
	}

	private static void publishOn(SentinelRedis sentinel, String pem) {
		sentinel.onPrimary(c -> c.mset(java.util.Map.of(RedisContract.TLS_CA_BUNDLE, pem,
				RedisContract.TLS_CA_BUNDLE_SHA256, Certificates.sha256Hex(pem))));
	}

	private TlsWatcher newWatcher(String url) {
		return new TlsWatcher(new TlsWatcherSettings(url, tlsDir, "ca-bundle.pem", "unix:/run/test/kamailio_ctl",
				kamcmd.path(), Duration.ofSeconds(5), "test-edge", 2));
	}

	private void publish(String bundle) {
		redis.set(RedisContract.TLS_CA_BUNDLE, bundle);
		redis.set(RedisContract.TLS_CA_BUNDLE_SHA256, Certificates.sha256Hex(bundle));
	}

	private Path caFile() {
		return tlsDir.resolve("ca-bundle.pem");
	}

}
