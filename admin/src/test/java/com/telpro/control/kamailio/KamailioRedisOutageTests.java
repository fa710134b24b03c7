package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.telpro.control.support.Await;
import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.Loopback;
import com.telpro.control.support.RawSip;
import com.telpro.control.support.RawSip.Answer;
import com.telpro.control.support.Sipp;
import com.telpro.control.support.Sipp.Result;
import com.telpro.control.support.SippLoad;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis dies while calls flow and comes back empty: trunk calls keep going from the
 * generation in force, the X-Call check answers 503 with Retry-After quickly (no worker
 * waits on Redis for long), and once Redis is back a new generation loads and X-Call
 * works again, with the same Kamailio process. KamailioEdgeTests covers the idle cases
 * (cold start, lost data).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KamailioRedisOutageTests {

	private static final String XCALL_ID = "abcdef0123456789abcdef0123456789";

	/**
	 * ndb_redis cmd_timeout is 200 ms; an answer that waited on Redis longer than this
	 * stalled a worker.
	 */
	private static final Duration STALL = Duration.ofMillis(1000);

	private final ContractRedis redis = new ContractRedis();

	private Sipp.Backend backend;

	private KamailioProcess kamailio;

	private EdgeMetrics metrics;

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.withDefines("WITH_METRICS");

	@BeforeAll
	void start() {
		edge.uses(redis).start();
		int backendPort = Loopback.freeSipPort();
		backend = edge.uses(Sipp.backend(backendPort));
		int metricsPort = Loopback.freeSipPort();
		kamailio = edge.start("edge-outage", redis.port(), backendPort, "METRICS_ADDR=127.0.0.1:" + metricsPort);
		metrics = new EdgeMetrics(metricsPort);
		edge.load(() -> redis.publish(trunks(false)));
	}

	private static List<EdgeTrunk> trunks(boolean withAdded) {
		List<EdgeTrunk> trunks = new ArrayList<>(List.of(EdgeTrunk.named("carrier", 10).cidrs("127.0.0.2/32"),
				EdgeTrunk.named("janus", 20).cidrs("127.0.0.5/32").set("requires_x_call", true)));
		if (withAdded) {
			trunks.add(EdgeTrunk.named("added-after-outage", 30).cidrs("127.0.0.14/32"));
		}
		return trunks;
	}

	@Test
	void callsContinueThroughARedisOutageXCallFailsClosedAndEverythingRecoversWithoutRestart() throws Exception {
		long pid = kamailio.pid();
		CompletableFuture<SippLoad.Result> load = SippLoad.of("uac_call.xml", kamailio.address())
			.from("127.0.0.2")
			.rate(20, 160)
			.holdFor(Duration.ofMillis(300))
			.start();
		Thread.sleep(2000);

		String unavailable = EdgeMetrics.requests("janus", "xcall_unavailable", "INVITE");
		double unavailableBefore = metrics.value(unavailable);
		String xcallCallId;
		redis.stop();
		try {
			long started = System.nanoTime();
			Answer xcall = RawSip.udp(
					"127.0.0.5", kamailio.port(), RawSip.bytes(RawSip.request("INVITE",
							"sip:15551234@127.0.0.1:" + kamailio.port(), kamailio.port(), "X-Call-ID: " + XCALL_ID)),
					Duration.ofSeconds(3));
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			assertThat(xcall.status()).as(xcall.text()).isEqualTo(503);
			assertThat(xcall.text()).containsPattern("(?m)^Retry-After: \\d+\\r\\n");
			assertThat(took).as("X-Call answer while Redis is down").isLessThan(STALL);
			xcallCallId = callId(xcall);
			// issue 21: counted once as xcall_unavailable
			Await.until(() -> metrics.value(unavailable) - unavailableBefore >= 1, Duration.ofSeconds(5));
			assertThat(metrics.value(unavailable) - unavailableBefore).isEqualTo(1.0);

			for (int i = 0; i < 10; i++) {
				long probe = System.nanoTime();
				assertThat(kamailio.options(STALL)).isEqualTo(200);
				assertThat(Duration.ofNanos(System.nanoTime() - probe)).isLessThan(STALL);
				Thread.sleep(200);
			}
			Answer stranger = RawSip.udp("127.0.0.99", kamailio.port(),
					RawSip
						.bytes(RawSip.request("INVITE", "sip:15551234@127.0.0.1:" + kamailio.port(), kamailio.port())),
					Duration.ofSeconds(1));
			assertThat(stranger.status()).as("enforcement continues: a stranger is still refused").isEqualTo(403);
		}
		finally {
			redis.start();
		}

		// Redis is back, empty: a newly published generation loads and X-Call works, same
		// process
		// (a repeated generation number after data loss is KamailioEdgeTests' case)
		redis.commands().set("telpro:v1:generation:seq", "100");
		kamailio.awaitGeneration(redis.publish(trunks(true)));
		// issue 17: the refused X-Call's record waited in the edge's spool and is
		// appended once Redis answers again, exactly once, with its reason
		Await.until(() -> !redis.recordReasons(xcallCallId).isEmpty(), Duration.ofSeconds(10));
		assertThat(redis.recordReasons(xcallCallId)).containsExactly("xcall_unavailable");
		Result added = Sipp.uac("uac_call.xml", kamailio.address()).from("127.0.0.14").run();
		assertThat(added.passed()).as(added.output()).isTrue();
		redis.createXCall(XCALL_ID);
		Result xcall = Sipp.uac("uac_call.xml", kamailio.address())
			.from("127.0.0.5")
			.header("X-Call-ID: " + XCALL_ID)
			.run();
		assertThat(xcall.passed()).as(xcall.output()).isTrue();

		SippLoad.Result result = load.get(60, TimeUnit.SECONDS);
		assertThat(result.successful()).as(result.output()).isEqualTo(160);
		assertThat(result.failed()).as(result.toString()).isZero();
		assertThat(result.unexpected()).as(result.toString()).isZero();
		assertThat(kamailio.pid()).isEqualTo(pid);
		assertThat(kamailio.log()).doesNotContain("FLUSHALL");
	}

	private static String callId(Answer answer) {
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?mi)^Call-ID:\\s*(\\S+)").matcher(answer.text());
		assertThat(m.find()).as(answer.text()).isTrue();
		return m.group(1);
	}

}
