package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.Loopback;
import com.telpro.control.support.ProcessResult;
import com.telpro.control.support.RtpEngineProcess;
import com.telpro.control.support.Sipp;
import com.telpro.control.support.SippLoad;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A bounded soak at a steady rate: answered calls on an ip_only trunk, calls over a
 * capped trunk's limit (486), digest with a wrong password (403 after the challenge) and
 * strangers (403), side by side, with media through a real RTPEngine. It must end with no
 * failed call and no message sipp could not place, no dialog, transaction or RTPEngine
 * session left behind, and Kamailio's shared memory back near where it started.
 * {@code -Dtelpro.soak.seconds=60} lengthens it (bench/soak-bench.sh); the suite runs 20
 * s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KamailioSoakTests {

	private static final int SECONDS = Integer.getInteger("telpro.soak.seconds", 20);

	/**
	 * Shared memory may stay this much above the start (allocator fragments, tm/dialog
	 * caches).
	 */
	private static final long SHM_SLACK_BYTES = 1024 * 1024;

	private static final Pattern REAL_USED = Pattern.compile("real_used:\\s*(\\d+)");

	private static final Pattern ACTIVE_DIALOGS = Pattern.compile("all:\\s*(\\d+)");

	private static final Pattern TRANSACTIONS = Pattern.compile("current:\\s*(\\d+)");

	private final ContractRedis redis = new ContractRedis();

	private Sipp.Backend backend;

	private KamailioProcess kamailio;

	private RtpEngineProcess rtpengine;

	// the wrong-password stream is load, not an attack to ban (the ban:
	// KamailioTrustBoundaryTests)
	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.withDefines("WITH_RTPENGINE", "AUTH_FAIL_LIMIT=0");

	@BeforeAll
	void start() throws Exception {
		edge.uses(redis).start();
		rtpengine = edge.uses(RtpEngineProcess.start());
		int backendPort = Loopback.freeSipPort();
		backend = edge.uses(Sipp.mediaBackend(backendPort));
		kamailio = edge.start("edge-soak", redis.port(), backendPort, rtpengine.kamailioSocketDefine());
		edge.load(() -> redis.publish(List.of(EdgeTrunk.named("carrier", 10).cidrs("127.0.0.2/32"),
				EdgeTrunk.named("capped", 20).cidrs("127.0.0.4/32").set("max_concurrent_calls", 3),
				EdgeTrunk.named("digest", 30)
					.identifyBy("from_domain")
					.fromDomain("^digest\\.example$")
					.digest("digest", null, "duser", "dpass"))));
	}

	@Test
	void aSteadyMixedLoadEndsWithNoUnexpectedAnswerNoLeftoversAndMemoryBackNearItsStart() throws Exception {
		// warm-up: every worker builds its trunk index and the modules allocate what they
		// keep
		SippLoad.Result warm = SippLoad.of("uac_soak_call.xml", kamailio.address())
			.from("127.0.0.2")
			.rate(10, 20)
			.run();
		assertThat(warm.failed()).as(warm.output()).isZero();
		awaitIdle();
		long shmBefore = shmUsed();

		long started = System.nanoTime();
		CompletableFuture<SippLoad.Result> answered = load("uac_soak_call.xml", "127.0.0.2", 10)
			.holdFor(Duration.ofSeconds(1))
			.start();
		CompletableFuture<SippLoad.Result> capped = load("uac_soak_call.xml", "127.0.0.4", 5)
			.holdFor(Duration.ofSeconds(1))
			.start();
		CompletableFuture<SippLoad.Result> wrongPassword = load("uac_digest_rejected.xml", "127.0.0.50", 2)
			.key("from_domain", "digest.example")
			.credentials("duser", "wrong-password")
			.start();
		CompletableFuture<SippLoad.Result> strangers = load("uac_soak_refused.xml", "127.0.0.99", 2).start();
		SippLoad.Result a = answered.get(SECONDS + 90, TimeUnit.SECONDS);
		SippLoad.Result c = capped.get(60, TimeUnit.SECONDS);
		SippLoad.Result w = wrongPassword.get(60, TimeUnit.SECONDS);
		SippLoad.Result s = strangers.get(60, TimeUnit.SECONDS);
		double elapsed = (System.nanoTime() - started) / 1e9;

		boolean idle = awaitIdle();
		long shmAfter = shmUsed();
		long dialogs = activeDialogs();
		List<String> mediaSessions = rtpengine.calls();
		System.out.printf("SOAK %d s (%.1f s wall): answered %s | capped %s | wrong password %s | strangers %s%n",
				SECONDS, elapsed, a, c, w, s);
		System.out.printf(
				"SOAK after: active dialogs %d, RTPEngine sessions %d, transactions idle %s, shm real_used %d -> %d bytes (%+d)%n",
				dialogs, mediaSessions.size(), idle, shmBefore, shmAfter, shmAfter - shmBefore);

		for (SippLoad.Result r : List.of(a, c, w, s)) {
			assertThat(r.failed()).as(r.output()).isZero();
			assertThat(r.unexpected()).as(r.toString()).isZero();
		}
		assertThat(a.successful()).isEqualTo(10L * SECONDS);
		assertThat(a.count("200 OK")).isEqualTo(10L * SECONDS);
		assertThat(c.count("486 Busy Here")).as("calls over the cap").isPositive();
		assertThat(c.count("200 OK")).as("calls under the cap").isPositive();
		assertThat(c.count("486 Busy Here") + c.count("200 OK")).isEqualTo(5L * SECONDS);
		assertThat(w.successful()).isEqualTo(2L * SECONDS);
		assertThat(w.count("403 Forbidden")).isEqualTo(2L * SECONDS);
		assertThat(s.count("403 Forbidden")).isEqualTo(2L * SECONDS);
		assertThat(dialogs).as("dialogs left").isZero();
		assertThat(mediaSessions).as("RTPEngine sessions left").isEmpty();
		assertThat(idle).as("no transaction left").isTrue();
		assertThat(shmAfter - shmBefore).as("shared memory growth").isLessThan(SHM_SLACK_BYTES);
	}

	private SippLoad load(String scenario, String source, int callsPerSecond) {
		return SippLoad.of(scenario, kamailio.address()).from(source).rate(callsPerSecond, callsPerSecond * SECONDS);
	}

	/**
	 * Waits until no transaction and no dialog is left (tm frees a transaction 5 s after
	 * its end).
	 */
	private boolean awaitIdle() throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < deadline) {
			if (number(TRANSACTIONS, kamcmd("tm.stats")) == 0 && activeDialogs() == 0) {
				return true;
			}
			Thread.sleep(500);
		}
		return false;
	}

	private long activeDialogs() {
		return number(ACTIVE_DIALOGS, kamcmd("dlg.stats_active"));
	}

	private long shmUsed() {
		return number(REAL_USED, kamcmd("core.shmmem"));
	}

	private String kamcmd(String... command) {
		List<String> args = new java.util.ArrayList<>(List.of("kamcmd", "-s", kamailio.ctlSocket()));
		args.addAll(List.of(command));
		ProcessResult r = ProcessResult.run(args, Duration.ofSeconds(10));
		assertThat(r.exitCode()).as(r.output()).isZero();
		return r.output();
	}

	private static long number(Pattern pattern, String text) {
		Matcher m = pattern.matcher(text);
		assertThat(m.find()).as(pattern + " in " + text).isTrue();
		return Long.parseLong(m.group(1));
	}

}
