package com.telpro.control.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.telpro.contract.RedisContract;
import com.telpro.control.support.Await;
import com.telpro.control.support.TestServers;
import com.telpro.control.trunk.TrunkRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Redis dies during a sync: the operator is told, PostgreSQL keeps its trunks, and once
 * Redis is back the previous generation is exactly what it was. Redis is shared by every
 * test class of the JVM, so each test restarts it in a finally block.
 */
@SpringBootTest
@AutoConfigureMockMvc
@WithMockUser(username = "admin", roles = "ADMIN")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SyncOutageTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	TrunkRepository trunks;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	GenerationPublisher publisher;

	@Autowired
	GenerationBuilder builder;

	@BeforeEach
	void clean() {
		trunks.deleteAll();
		Trunks.clearContractKeys(redis);
	}

	@Test
	void redisDownFailsTheSyncClearlyAndLeavesThePreviousGenerationLive() throws Exception {
		trunks.save(Trunks.ipOnly("twilio", 20, "54.172.60.0/23"));
		mvc.perform(post("/api/sync")).andExpect(status().isOk());
		String generation = redis.opsForValue().get(RedisContract.GENERATION);
		String document = redis.opsForValue().get("telpro:v1:gen:" + generation);
		trunks.save(Trunks.ipOnly("vonage", 30, "192.0.2.0/24"));
		List<Map<String, Object>> rows = jdbc.queryForList("select * from trunk order by id");

		TestServers servers = TestServers.get();
		servers.stopRedis();
		try {
			mvc.perform(post("/api/sync"))
				.andExpect(status().isServiceUnavailable())
				.andExpect(jsonPath("$.title").value("Sync failed"))
				.andExpect(jsonPath("$.detail").value(startsWith("Redis unreachable: ")))
				.andExpect(jsonPath("$.detail").value(containsString("the previous generation stays live")));
			mvc.perform(get("/api/sync/status"))
				.andExpect(status().isServiceUnavailable())
				.andExpect(jsonPath("$.detail").value(startsWith("Redis unreachable: ")));
		}
		finally {
			servers.startRedis();
		}
		awaitRedis();

		assertThat(jdbc.queryForList("select * from trunk order by id")).isEqualTo(rows);
		assertThat(redis.opsForValue().get(RedisContract.GENERATION)).isEqualTo(generation);
		assertThat(redis.opsForValue().get("telpro:v1:gen:" + generation)).isEqualTo(document);
		assertThat(jdbc.queryForObject("select error from sync_run order by id desc limit 1", String.class))
			.startsWith("Redis unreachable: ");
		mvc.perform(get("/api/sync/status"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.message").value("1 change pending sync"))
			.andExpect(jsonPath("$.last_sync.outcome").value("failure"));

		// Each of the client's connections reconnects on its own (Lettuce's backoff): a
		// sync can
		// still meet one that has not; the operator's next press works within seconds.
		Await.until(() -> syncStatus() == 200, Duration.ofSeconds(30));
		assertThat(jdbc.queryForObject("select trunks from sync_run order by id desc limit 1", Integer.class))
			.isEqualTo(2);
		assertThat(Long.parseLong(redis.opsForValue().get(RedisContract.GENERATION)))
			.isGreaterThan(Long.parseLong(generation));
	}

	private int syncStatus() {
		try {
			return mvc.perform(post("/api/sync")).andReturn().getResponse().getStatus();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void aSyncThatDiesBetweenWritingAndSwitchingLeavesThePreviousGenerationLive() throws Exception {
		trunks.save(Trunks.ipOnly("twilio", 20, "54.172.60.0/23"));
		mvc.perform(post("/api/sync")).andExpect(status().isOk());
		String generation = redis.opsForValue().get(RedisContract.GENERATION);
		String document = redis.opsForValue().get("telpro:v1:gen:" + generation);
		trunks.save(Trunks.ipOnly("vonage", 30, "192.0.2.0/24"));
		GenerationDocument next = builder.build(trunks.findAllByEnabledTrueOrderByPriorityAscNameAsc());

		TestServers servers = TestServers.get();
		try {
			assertThatThrownBy(() -> publisher.publish(next, Instant.now(), servers::stopRedis))
				.satisfies(ex -> assertThat(RedisFailures.isRedisFailure(ex)).isTrue());
		}
		finally {
			servers.startRedis();
		}
		awaitRedis();

		assertThat(redis.opsForValue().get(RedisContract.GENERATION)).isEqualTo(generation);
		assertThat(redis.opsForValue().get("telpro:v1:gen:" + generation)).isEqualTo(document);
		assertThat(redis.getExpire("telpro:v1:gen:" + generation)).as("still the live one").isEqualTo(-1);
		String orphan = "telpro:v1:gen:" + (Long.parseLong(generation) + 1);
		assertThat(redis.opsForValue().get(orphan)).as("written before Redis died").isNotNull();
		assertThat(redis.getExpire(orphan, TimeUnit.SECONDS)).as("reaped on its own").isBetween(1L, 600L);
	}

	private void awaitRedis() throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (true) {
			try {
				redis.opsForValue().get(RedisContract.GENERATION);
				return;
			}
			catch (RuntimeException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				Thread.sleep(100);
			}
		}
	}

}
