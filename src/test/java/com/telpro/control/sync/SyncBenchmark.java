package com.telpro.control.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import com.telpro.control.TelproApplication;
import com.telpro.control.secret.SecretCipher;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Times "Sync All to Redis" of 1,000 and 10,000 trunks against the embedded PostgreSQL and Redis:
 * each phase apart (load from PostgreSQL, build and serialise the document, publish it to Redis)
 * and the whole {@link SyncService#syncAll}. Median of several runs after a warm-up. Run by
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
					"--logging.level.root=ERROR", "--spring.main.banner-mode=off",
					"--server.port=0", "--server.address=127.0.0.1")) {
			new Run(context).all(sizes);
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

		Run(ConfigurableApplicationContext context) {
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
			System.out.printf(Locale.ROOT, "%-24s %8s %10s %10s %10s %10s %10s%n", "case", "trunks", "load ms",
					"build ms", "publish ms", "sync ms", "doc MB");
			double[] ipOnly = new double[sizes.length];
			for (int i = 0; i < sizes.length; i++) {
				ipOnly[i] = measure("ip_only", sizes[i], 0);
			}
			double[] digest = new double[sizes.length];
			for (int i = 0; i < sizes.length; i++) {
				digest[i] = measure("10% digest (decrypt)", sizes[i], 10);
			}
			int last = sizes.length - 1;
			if (last > 0) {
				System.out.printf(Locale.ROOT, "ratio sync %d / %d trunks (ip_only): %.1fx for %.0fx the trunks%n",
						sizes[last], sizes[0], ipOnly[last] / ipOnly[0], (double) sizes[last] / sizes[0]);
			}
			System.out.printf(Locale.ROOT, "ratio 10%% digest / ip_only at %d trunks: %.1fx (password decryption)%n",
					sizes[last], digest[last] / ipOnly[last]);
			System.out.printf(Locale.ROOT, "target: %d ip_only trunks synced in %.0f ms (goal < 1000 ms for 10000): %s%n",
					sizes[last], ipOnly[last], sizes[last] >= 10_000 && ipOnly[last] < 1000 ? "MET" : "check");
		}

		private double measure(String label, int size, int digestPercent) {
			insert(size, digestPercent);
			List<Long> load = new ArrayList<>();
			List<Long> build = new ArrayList<>();
			List<Long> publish = new ArrayList<>();
			List<Long> whole = new ArrayList<>();
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
				SyncResult result = sync.syncAll("benchmark");
				long t4 = System.nanoTime();
				if (result.trunks() != size) {
					throw new IllegalStateException("published " + result.trunks() + " of " + size);
				}
				bytes = published.bytes();
				if (i >= WARMUP) {
					load.add(t1 - t0);
					build.add(t2 - t1);
					publish.add(t3 - t2);
					whole.add(t4 - t3);
				}
			}
			System.out.printf(Locale.ROOT, "%-24s %8d %10.1f %10.1f %10.1f %10.1f %10.2f%n", label, size, median(load),
					median(build), median(publish), median(whole), bytes / 1e6);
			return median(whole);
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
					+ "auth_user, auth_pass_encrypted) values (?, ?, '[\"source_ip\"]'::jsonb, ?::jsonb, ?, ?, ?, ?)", rows);
		}

		private static double median(List<Long> nanos) {
			long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
			return sorted[sorted.length / 2] / 1e6;
		}

	}

}
