package com.telpro.control.sync;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.TelproApplication;
import com.telpro.control.secret.SecretCipher;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.jasypt.encryption.pbe.StandardPBEStringEncryptor;
import org.jasypt.iv.RandomIvGenerator;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Times "Sync All to Redis" of 1,000 and 10,000 trunks against the embedded PostgreSQL
 * and Redis: each phase apart (load from PostgreSQL, build and serialise the document,
 * publish it to Redis) and the whole {@link SyncService#syncAll}, with 0%, 10% and 100%
 * of the trunks on digest. Median of several runs after a warm-up. Then
 * {@code GET /api/sync/status} over HTTP at the largest size, all digest, and
 * {@code GET /api/trunks} p99 at 50 requests/s with 1,000 trunks. Run by
 * {@code bench/sync-bench.sh}.
 */
public final class SyncBenchmark {

	private static final int WARMUP = 3;

	private static final int RUNS = 7;

	private SyncBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int[] sizes = args.length == 0 ? new int[] { 1_000, 10_000 }
				: Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TelproApplication.class)
			.logStartupInfo(false)
			.run("--telpro.embedded.data-dir=target/embedded-bench", "--telpro.embedded.clean=true",
					"--telpro.embedded.postgres-port=0", "--telpro.embedded.redis-port=0",
					"--telpro.secrets.key=bench-only-secrets-key-0123456789",
					"--telpro.admin.initial-password=bench-admin-password", "--logging.level.root=ERROR",
					"--spring.main.banner-mode=off", "--server.port=0", "--server.address=127.0.0.1")) {
			Run run = new Run(context);
			run.all(sizes);
			run.status(Arrays.stream(sizes).max().orElseThrow());
			run.trunkList(1_000);
		}
	}

	private static final class Run {

		private final JdbcTemplate jdbc;

		private final TrunkRepository trunks;

		private final GenerationBuilder builder;

		private final GenerationPublisher publisher;

		private final SyncService sync;

		private final SecretCipher cipher;

		private final StringRedisTemplate redis;

		private final TransactionTemplate readOnly;

		private final HttpClient http = HttpClient.newHttpClient();

		private final String base;

		private final String token;

		Run(ConfigurableApplicationContext context) throws Exception {
			this.base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
			this.token = createToken(http, base);
			this.jdbc = context.getBean(JdbcTemplate.class);
			this.trunks = context.getBean(TrunkRepository.class);
			this.builder = context.getBean(GenerationBuilder.class);
			this.publisher = context.getBean(GenerationPublisher.class);
			this.sync = context.getBean(SyncService.class);
			this.cipher = context.getBean(SecretCipher.class);
			this.redis = context.getBean(StringRedisTemplate.class);
			this.readOnly = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
			this.readOnly.setReadOnly(true);
		}

		void all(int[] sizes) {
			System.out.println("load average before: " + loadAverage());
			System.out.println("phases of a build from scratch: load all entities, build, publish; then the whole sync "
					+ "(SyncService.syncAll) with no row changed, 1 row changed, every row changed since the last sync");
			System.out.printf(Locale.ROOT, "%-16s %7s %8s %8s %8s | %9s %9s %9s %7s%n", "case", "trunks", "load",
					"build", "publish", "sync 0", "sync 1", "sync all", "doc MB");
			int[] percents = { 0, 10, 100 };
			double[][] whole = new double[percents.length][sizes.length];
			for (int p = 0; p < percents.length; p++) {
				for (int i = 0; i < sizes.length; i++) {
					whole[p][i] = measure(percents[p] + "% digest", sizes[i], percents[p]);
				}
			}
			int last = sizes.length - 1;
			if (last > 0) {
				System.out.printf(Locale.ROOT, "ratio sync %d / %d trunks (0%% digest): %.1fx for %.0fx the trunks%n",
						sizes[last], sizes[0], whole[0][last] / whole[0][0], (double) sizes[last] / sizes[0]);
			}
			System.out.printf(Locale.ROOT, "ratio 100%% digest / 0%% digest at %d trunks: %.2fx%n", sizes[last],
					whole[2][last] / whole[0][last]);
			legacyDecryptCost();
			if (sizes[last] >= 10_000) {
				for (int p = 0; p < percents.length; p++) {
					System.out.printf(Locale.ROOT,
							"target: sync of %d trunks, %d%% digest, every row changed, <= 300 ms: %.0f ms %s%n",
							sizes[last], percents[p], whole[p][last], whole[p][last] <= 300 ? "MET" : "NOT MET");
				}
			}
			System.out.println("load average after: " + loadAverage());
		}

		/**
		 * What every digest trunk load cost before V70 (jasypt PBE, a key derived per
		 * value).
		 */
		private void legacyDecryptCost() {
			StandardPBEStringEncryptor jasypt = new StandardPBEStringEncryptor();
			jasypt.setAlgorithm("PBEWITHHMACSHA512ANDAES_256");
			jasypt.setIvGenerator(new RandomIvGenerator());
			jasypt.setKeyObtentionIterations(1000);
			jasypt.setPassword("bench-only-secrets-key-0123456789");
			String legacy = jasypt.encrypt("bench-password");
			String current = cipher.encrypt("bench-password");
			for (int i = 0; i < 200; i++) {
				jasypt.decrypt(legacy);
				cipher.decrypt(current);
			}
			long t0 = System.nanoTime();
			for (int i = 0; i < 500; i++) {
				jasypt.decrypt(legacy);
			}
			long t1 = System.nanoTime();
			for (int i = 0; i < 500; i++) {
				cipher.decrypt(current);
			}
			long t2 = System.nanoTime();
			System.out.printf(Locale.ROOT, "decrypt one password: jasypt PBE (before V70) %.1f µs, AES-GCM %.1f µs%n",
					(t1 - t0) / 500 / 1e3, (t2 - t1) / 500 / 1e3);
		}

		/**
		 * {@code GET /api/sync/status} over HTTP with every trunk on digest, after a
		 * sync.
		 */
		void status(int size) throws Exception {
			insert(size, 100);
			sync.syncAll("benchmark");
			statusTimes(size, false);
			statusTimes(size, true);
		}

		/**
		 * @param afterAChange one trunk row written before each request (not timed)
		 */
		private void statusTimes(int size, boolean afterAChange) throws Exception {
			List<Long> times = new ArrayList<>();
			for (int i = 0; i < WARMUP + RUNS; i++) {
				if (afterAChange) {
					jdbc.update("update trunk set priority = priority where name = ?", "bench-" + (i * 13 % size));
				}
				long t0 = System.nanoTime();
				HttpResponse<String> response = http.send(get("/api/sync/status"),
						HttpResponse.BodyHandlers.ofString());
				long t1 = System.nanoTime();
				if (response.statusCode() != 200) {
					throw new IllegalStateException("GET /api/sync/status answered " + response.statusCode());
				}
				if (i >= WARMUP) {
					times.add(t1 - t0);
				}
			}
			double median = median(times);
			String label = afterAChange ? "one trunk changed before each request" : "nothing changed";
			System.out.printf(Locale.ROOT,
					"GET /api/sync/status, %d trunks, 100%% digest, %s: median %.1f ms, max %.1f ms%n", size, label,
					median, times.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6);
			System.out.printf(Locale.ROOT, "target: GET /api/sync/status <= 100 ms at %d digest trunks (%s): %s%n",
					size, label, median <= 100 ? "MET" : "NOT MET");
		}

		/**
		 * {@code GET /api/trunks} at a steady 50 requests/s (open loop: a request starts
		 * on its schedule, not when the previous one ends) for 20 s, 10% digest trunks.
		 */
		void trunkList(int size) throws Exception {
			insert(size, 10);
			int rate = 50;
			int count = 1_000;
			for (int i = 0; i < 50; i++) {
				http.send(get("/api/trunks"), HttpResponse.BodyHandlers.discarding());
			}
			List<CompletableFuture<Long>> answers = new ArrayList<>();
			long start = System.nanoTime();
			for (int i = 0; i < count; i++) {
				long due = start + i * 1_000_000_000L / rate;
				long wait = due - System.nanoTime();
				if (wait > 0) {
					Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
				}
				long sent = System.nanoTime();
				answers.add(http.sendAsync(get("/api/trunks"), HttpResponse.BodyHandlers.discarding()).thenApply(r -> {
					if (r.statusCode() != 200) {
						throw new IllegalStateException("GET /api/trunks answered " + r.statusCode());
					}
					return System.nanoTime() - sent;
				}));
			}
			long[] sorted = answers.stream().map(CompletableFuture::join).mapToLong(Long::longValue).sorted().toArray();
			double p50 = sorted[sorted.length / 2] / 1e6;
			double p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6;
			System.out.printf(Locale.ROOT,
					"GET /api/trunks, %d trunks, %d req/s for %d s: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", size,
					rate, count / rate, p50, p99, sorted[sorted.length - 1] / 1e6);
			System.out.printf(Locale.ROOT, "target: GET /api/trunks p99 <= 50 ms at 50 req/s with %d trunks: %s%n",
					size, p99 <= 50 ? "MET" : "NOT MET");
			System.out.println("load average at the end: " + loadAverage());
		}

		private HttpRequest get(String path) {
			return HttpRequest.newBuilder(URI.create(base + path))
				.header("Authorization", "Bearer " + token)
				.GET()
				.build();
		}

		private static String createToken(HttpClient http, String base) throws Exception {
			String basic = Base64.getEncoder()
				.encodeToString("admin:bench-admin-password".getBytes(StandardCharsets.UTF_8));
			HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/tokens"))
				.header("Authorization", "Basic " + basic)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (created.statusCode() != 201) {
				throw new IllegalStateException(
						"POST /api/tokens answered " + created.statusCode() + ": " + created.body());
			}
			return new ObjectMapper().readTree(created.body()).get("token").asText();
		}

		/**
		 * @return the median whole sync after every row changed (the worst case)
		 */
		private double measure(String label, int size, int digestPercent) {
			insert(size, digestPercent);
			List<Long> load = new ArrayList<>();
			List<Long> build = new ArrayList<>();
			List<Long> publish = new ArrayList<>();
			List<Long> unchanged = new ArrayList<>();
			List<Long> oneChanged = new ArrayList<>();
			List<Long> allChanged = new ArrayList<>();
			int bytes = 0;
			for (int i = 0; i < WARMUP + RUNS; i++) {
				long t0 = System.nanoTime();
				List<Trunk> loaded = readOnly.execute(s -> trunks.findAllByEnabledTrueOrderByPriorityAscNameAsc());
				long t1 = System.nanoTime();
				GenerationDocument document = builder.build(loaded);
				long t2 = System.nanoTime();
				GenerationPublisher.PublishedGeneration published = publisher.publish(document,
						java.time.Instant.now());
				long t3 = System.nanoTime();
				long syncUnchanged = timedSync(size);
				jdbc.update("update trunk set priority = priority where name = ?", "bench-" + (i * 7 % size));
				long syncOne = timedSync(size);
				jdbc.update("update trunk set priority = priority");
				long syncAll = timedSync(size);
				bytes = published.bytes();
				if (i >= WARMUP) {
					load.add(t1 - t0);
					build.add(t2 - t1);
					publish.add(t3 - t2);
					unchanged.add(syncUnchanged);
					oneChanged.add(syncOne);
					allChanged.add(syncAll);
				}
			}
			System.out.printf(Locale.ROOT, "%-16s %7d %8.1f %8.1f %8.1f | %9.1f %9.1f %9.1f %7.2f%n", label, size,
					median(load), median(build), median(publish), median(unchanged), median(oneChanged),
					median(allChanged), bytes / 1e6);
			return median(allChanged);
		}

		private long timedSync(int size) {
			long t0 = System.nanoTime();
			SyncResult result = sync.syncAll("benchmark");
			long took = System.nanoTime() - t0;
			if (result.trunks() != size) {
				throw new IllegalStateException("published " + result.trunks() + " of " + size);
			}
			return took;
		}

		private static String loadAverage() {
			try {
				return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
			}
			catch (java.io.IOException ex) {
				return "unknown";
			}
		}

		private void insert(int size, int digestPercent) {
			jdbc.update("delete from trunk");
			List<Object[]> rows = new ArrayList<>();
			String encrypted = digestPercent == 0 ? null : cipher.encrypt("bench-password");
			for (int i = 0; i < size; i++) {
				boolean digest = i % 100 < digestPercent;
				rows.add(new Object[] { "bench-" + i, i % 1001,
						"[\"10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256) + "/32\", \"2001:db8:"
								+ Integer.toHexString(i) + "::/48\"]",
						digest ? "ip_and_digest" : "ip_only", digest ? "bench.example" : null,
						digest ? "user" + i : null, digest ? encrypted : null });
			}
			jdbc.batchUpdate("insert into trunk (name, priority, identify_by, allowed_ips, auth_method, auth_realm, "
					+ "auth_user, auth_pass_encrypted) values (?, ?, '[\"source_ip\"]'::jsonb, ?::jsonb, ?, ?, ?, ?)",
					rows);
		}

		private static double median(List<Long> nanos) {
			long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
			return sorted[sorted.length / 2] / 1e6;
		}

	}

}
