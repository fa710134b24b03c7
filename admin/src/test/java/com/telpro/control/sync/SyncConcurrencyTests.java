package com.telpro.control.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.contract.RedisContract;
import com.telpro.control.trunk.TrunkRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A reader doing what Kamailio does (pointer, then the document it names) while 5,000
 * trunks are synced again and again never sees a missing document, a partial set or two
 * generations mixed.
 */
@SpringBootTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SyncConcurrencyTests {

	private static final int TRUNKS = 5_000;

	private static final int MIN_SYNCS = 4;

	private static final int MIN_READS = 20;

	private static final Duration BOUND = Duration.ofSeconds(90);

	@Autowired
	SyncService sync;

	@Autowired
	TrunkRepository trunks;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	JdbcTemplate jdbc;

	private final ObjectMapper json = new ObjectMapper();

	@BeforeEach
	void fiveThousandTrunks() {
		trunks.deleteAll();
		Trunks.clearContractKeys(redis);
		List<Object[]> rows = new ArrayList<>();
		for (int i = 0; i < TRUNKS; i++) {
			rows.add(new Object[] { "bulk-" + i, i % 1000,
					"[\"10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256) + "/32\"]" });
		}
		jdbc.batchUpdate("insert into trunk (name, priority, identify_by, allowed_ips, auth_method) "
				+ "values (?, ?, '[\"source_ip\"]'::jsonb, ?::jsonb, 'ip_only')", rows);
	}

	@AfterEach
	void removeThem() {
		jdbc.update("delete from trunk where name like 'bulk-%'");
	}

	@Test
	void aReaderNeverSeesAMixedOrPartialGeneration() throws Exception {
		Map<Long, Integer> markerOfGeneration = new ConcurrentHashMap<>();
		List<long[]> observed = new CopyOnWriteArrayList<>();
		List<String> violations = new CopyOnWriteArrayList<>();
		AtomicBoolean syncing = new AtomicBoolean(true);
		AtomicInteger reads = new AtomicInteger();
		long deadline = System.nanoTime() + BOUND.toNanos();
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			Future<?> reader = threads.submit(() -> {
				while (syncing.get() && System.nanoTime() < deadline) {
					readOnce(observed, violations);
					reads.incrementAndGet();
				}
				return null;
			});
			Future<?> writer = threads.submit(() -> {
				try {
					for (int round = 1; System.nanoTime() < deadline
							&& (round <= MIN_SYNCS || reads.get() < MIN_READS); round++) {
						jdbc.update("update trunk set max_concurrent_calls = ?", round);
						markerOfGeneration.put(sync.syncAll("concurrency-test").generation(), round);
					}
				}
				finally {
					syncing.set(false);
				}
				return null;
			});
			writer.get(BOUND.toSeconds() + 30, TimeUnit.SECONDS);
			reader.get(BOUND.toSeconds() + 30, TimeUnit.SECONDS);
		}
		finally {
			threads.shutdownNow();
		}

		assertThat(violations).isEmpty();
		assertThat(reads.get()).isGreaterThanOrEqualTo(MIN_READS);
		assertThat(markerOfGeneration).hasSizeGreaterThanOrEqualTo(MIN_SYNCS);
		Set<Long> generationsSeen = new HashSet<>();
		for (long[] seen : observed) {
			generationsSeen.add(seen[0]);
			assertThat(markerOfGeneration.get(seen[0])).as("generation %d", seen[0]).isEqualTo((int) seen[1]);
		}
		assertThat(generationsSeen).as("the reader ran across several syncs").hasSizeGreaterThanOrEqualTo(2);
	}

	private void readOnce(List<long[]> observed, List<String> violations) throws Exception {
		String pointer = redis.opsForValue().get(RedisContract.GENERATION);
		if (pointer == null) {
			return; // nothing published yet
		}
		long generation = Long.parseLong(pointer);
		String value = redis.opsForValue().get(RedisContract.document(generation));
		if (value == null) {
			violations.add("generation " + generation + " is named by the pointer but has no document");
			return;
		}
		Map<String, Object> document = json.readValue(value, new TypeReference<>() {
		});
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> published = (List<Map<String, Object>>) document.get("trunks");
		if (((Number) document.get("generation")).longValue() != generation) {
			violations.add("pointer " + generation + " names a document of generation " + document.get("generation"));
		}
		if (published.size() != TRUNKS) {
			violations.add("generation " + generation + " has " + published.size() + " trunks");
		}
		Set<Object> markers = new HashSet<>();
		published.forEach(trunk -> markers.add(trunk.get("max_concurrent_calls")));
		if (markers.size() != 1) {
			violations.add("generation " + generation + " mixes trunks of syncs " + markers);
			return;
		}
		if (!CanonicalJson.sha256Hex(CanonicalJson.write(published)).equals(document.get("content_hash"))) {
			violations.add("generation " + generation + " does not match its content_hash");
		}
		observed.add(new long[] { generation, ((Number) markers.iterator().next()).longValue() });
	}

}
