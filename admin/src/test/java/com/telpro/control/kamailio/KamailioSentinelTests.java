package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.telpro.control.kamailio.BurstCaller.Call;
import com.telpro.control.support.Await;
import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.SentinelRedis;
import com.telpro.control.sync.GenerationWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two edges find Redis through three Sentinels (ndb_redis
 * {@code sentinel_group}/{@code sentinel_master}/ {@code sentinel}); the primary is
 * killed with -9 during traffic. The edges keep enforcing the generation they loaded,
 * call admission and X-Calls resume on the promoted replica, and a generation published
 * there after the failover reaches both edges.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KamailioSentinelTests {

	private final SentinelRedis redis = new SentinelRedis();

	private final HoldingBackend backend = new HoldingBackend();

	private GenerationWriter writer;

	private final EdgeTrunk capped = EdgeTrunk.named("sentinel-capped", 10)
		.cidrs("127.0.0.47/32")
		.set("max_concurrent_calls", 2);

	private final EdgeTrunk xcall = EdgeTrunk.named("sentinel-xcall", 10)
		.cidrs("127.0.0.48/32")
		.set("requires_x_call", true);

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.withDefines("LIMIT_TTL=6", "LIMIT_REFRESH=1");

	@BeforeAll
	void start() {
		edge.uses(redis).start();
		edge.uses(backend);
		for (int i = 0; i < 2; i++) {
			edge.start("edge-s" + (i + 1), 0, backend.port(), "REDIS_SERVER=\"" + redis.ndbRedisServer(i) + "\"");
		}
		writer = edge.uses(GenerationWriter.onSentinels(SentinelRedis.MASTER, redis.sentinelNodes()));
		edge.load(() -> publish(List.of(capped, xcall)));
	}

	private long publish(List<EdgeTrunk> trunks) {
		return writer.publish(trunks.stream().map(EdgeTrunk::trunk).toList());
	}

	private long counted() {
		return redis.onPrimary(c -> c.zcard("telpro:v1:limits:" + capped.id() + ":calls"));
	}

	@Test
	void afterThePrimaryIsKilledTheEdgesEnforceAndResumeOnTheNewPrimary() throws Exception {
		int[] ports = edge.all().stream().mapToInt(KamailioProcess::port).toArray();
		try (BurstCaller carrier = new BurstCaller("127.0.0.47");
				BurstCaller xcaller = new BurstCaller("127.0.0.48");
				BurstCaller stranger = new BurstCaller("127.0.0.99")) {
			// before: exact across both edges
			List<CompletableFuture<Call>> held = new ArrayList<>();
			held.add(carrier.call(ports[0], Duration.ofSeconds(10)));
			held.add(carrier.call(ports[1], Duration.ofSeconds(10)));
			Await.until(() -> backend.holding("sentinel-capped") == 2, Duration.ofSeconds(5));
			assertThat(counted()).isEqualTo(2);
			assertThat(carrier.call(ports[0], Duration.ZERO).join().status()).isEqualTo(486);

			redis.killPrimary();
			long killedAt = System.nanoTime();
			// during the failover: the loaded generation is still enforced (strangers
			// refused,
			// the capped trunk never above its cap on either edge)
			assertThat(stranger.call(ports[0], Duration.ZERO).join().status()).isEqualTo(403);
			for (int i = 0; i < 6; i++) {
				carrier.call(ports[i % 2], Duration.ZERO).join();
			}
			assertThat(backend.highest(HoldingBackend.via("sentinel-capped", ports[0]))).isLessThanOrEqualTo(2);
			assertThat(backend.highest(HoldingBackend.via("sentinel-capped", ports[1]))).isLessThanOrEqualTo(2);

			Await.until(() -> {
				try {
					return Integer.parseInt(redis.masterAddress()[1]) == redis.replicaPort();
				}
				catch (RuntimeException notYet) {
					return false;
				}
			}, Duration.ofSeconds(30));
			double promotedAfter = (System.nanoTime() - killedAt) / 1e9;

			// admission resumes on the new primary: the held calls are put back by the
			// edges'
			// refresh, so the cap is exact again
			Await.until(() -> counted() == 2, Duration.ofSeconds(30));
			double countedAfter = (System.nanoTime() - killedAt) / 1e9;
			assertThat(carrier.call(ports[1], Duration.ZERO).join().status()).isEqualTo(486);

			// X-Calls resume: one created on the new primary is consumed by an edge
			String id = "ab".repeat(16);
			Await.until(() -> {
				redis.onPrimary(c -> c.setex("telpro:v1:xcall:" + id, 120,
						"{\"created_at\":\"2026-12-03T09:00:00Z\",\"trunk\":null}"));
				return xcaller.call(ports[0], Duration.ofMillis(100), "X-Call-ID: " + id + "\r\n").join().answered();
			}, Duration.ofSeconds(30));
			double xcallAfter = (System.nanoTime() - killedAt) / 1e9;

			// a sync after the failover reaches every edge
			long generation = publish(
					List.of(capped, xcall, EdgeTrunk.named("after-failover", 10).cidrs("127.0.0.49/32")));
			edge.awaitGeneration(generation);
			double syncedAfter = (System.nanoTime() - killedAt) / 1e9;
			System.out.printf(
					"sentinel: primary killed; promoted after %.1f s, calls counted on the new primary after %.1f s, "
							+ "X-Call after %.1f s, new generation on both edges after %.1f s%n",
					promotedAfter, countedAfter, xcallAfter, syncedAfter);
			held.forEach(CompletableFuture::join);
		}
	}

}
