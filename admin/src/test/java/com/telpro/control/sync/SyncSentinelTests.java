package com.telpro.control.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.telpro.contract.RedisContract;
import com.telpro.control.support.Await;
import com.telpro.control.support.SentinelRedis;
import com.telpro.control.trunk.TrunkRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The admin service through Spring Data Redis's own Sentinel settings
 * ({@code spring.data.redis.sentinel.master/nodes}, which take precedence over the test
 * Redis URL): a sync goes to the primary, and after the primary is killed the next sync
 * goes to the promoted replica without a restart.
 */
@SpringBootTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SyncSentinelTests {

	private static final SentinelRedis SENTINEL = new SentinelRedis();

	@DynamicPropertySource
	static void redisThroughSentinel(DynamicPropertyRegistry registry) {
		SENTINEL.start();
		registry.add("spring.data.redis.sentinel.master", () -> SentinelRedis.MASTER);
		registry.add("spring.data.redis.sentinel.nodes", SENTINEL::sentinelNodes);
	}

	@AfterAll
	static void stop() {
		SENTINEL.close();
	}

	@Autowired
	SyncService sync;

	@Autowired
	TrunkRepository trunks;

	@Test
	void aSyncAfterTheFailoverGoesToTheNewPrimary() {
		trunks.deleteAll();
		trunks.save(Trunks.ipOnly("sentinel-sync", 20, "192.0.2.0/24"));
		long before = sync.syncAll("sentinel-test").generation();
		assertThat(SENTINEL.<String>onPrimary(c -> c.get(RedisContract.GENERATION))).isEqualTo(Long.toString(before));

		// replication is asynchronous: a primary killed before the replica has the
		// generation takes it
		// along (the loss REDIS-CONTRACT.md documents); this test is about where the next
		// sync goes
		assertThat(SENTINEL.<Long>onPrimary(c -> c.waitForReplication(1, 10_000))).isGreaterThanOrEqualTo(1L);
		SENTINEL.killPrimary();
		SENTINEL.awaitPromotion(Duration.ofSeconds(30));
		AtomicLong after = new AtomicLong();
		Await.until(() -> {
			try {
				after.set(sync.syncAll("sentinel-test").generation());
				return true;
			}
			catch (RuntimeException stillReconnecting) {
				return false;
			}
		}, Duration.ofSeconds(30));
		assertThat(after.get()).isGreaterThan(before);
		assertThat(SENTINEL.<String>onPrimary(c -> c.get(RedisContract.GENERATION)))
			.isEqualTo(Long.toString(after.get()));
		trunks.deleteAll();
	}

}
