package com.telpro.control.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.telpro.control.support.KamailioProcess.Settings;
import com.telpro.control.tls.TlsWatcher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.util.FileSystemUtils;

/**
 * The Kamailio edges of one test class, as a JUnit 5 extension: the project's
 * {@code kamailio/} config with the class's defines, started on free loopback ports,
 * ready once a generation is loaded, stopped by PID after the class, and whatever the
 * edges use (Redis, backends, rtpengine) closed after them. One edge (or one set of
 * edges) serves every test of the class, as starting Kamailio costs seconds.
 *
 * <pre>
 * &#64;RegisterExtension
 * final KamailioEdge edge = KamailioEdge.withDefines("PIKE_DENSITY=20");
 *
 * &#64;BeforeAll
 * void start() {
 * 	edge.uses(redis).start();
 * 	backend = edge.uses(new CountingBackend());
 * 	kamailio = edge.start("edge-x", redis.port(), backend.port());
 * 	edge.load(() -&gt; redis.publish(trunks));
 * }
 * </pre>
 *
 * Register it on an instance field of a {@code PER_CLASS} test (JUnit then calls the
 * class-level callbacks on it) or on a static field.
 */
public final class KamailioEdge implements AfterAllCallback {

	private final List<String> defines;

	private final List<KamailioProcess> edges = new ArrayList<>();

	private final Deque<AutoCloseable> resources = new ArrayDeque<>();

	private KamailioEdge(List<String> defines) {
		this.defines = List.copyOf(defines);
	}

	/** Edges with the config's defaults. */
	public static KamailioEdge create() {
		return new KamailioEdge(List.of());
	}

	/**
	 * Edges with these {@code -A} defines on top of the ones every edge gets (listen
	 * addresses, Redis, backend, node name).
	 */
	public static KamailioEdge withDefines(String... defines) {
		return new KamailioEdge(List.of(defines));
	}

	/**
	 * Something the edges use, closed after they have stopped, the last registered first.
	 */
	public <T extends AutoCloseable> T uses(T resource) {
		resources.push(resource);
		return resource;
	}

	/**
	 * Something the edges use that a test may replace (a database it restarts): whatever
	 * the supplier gives after the class, if anything, is closed as by {@link #uses}.
	 */
	public void usesCurrent(Supplier<? extends AutoCloseable> current) {
		uses(() -> {
			AutoCloseable resource = current.get();
			if (resource != null) {
				resource.close();
			}
		});
	}

	/** A fresh folder for the edges' files, deleted after they stop. */
	public Path tempDir(String prefix) throws IOException {
		Path dir = Files.createTempDirectory(prefix);
		uses(() -> FileSystemUtils.deleteRecursively(dir));
		return dir;
	}

	/**
	 * The project's {@code kamailio/tls.cfg} written to {@code dir/tls.cfg} with its
	 * {@code /etc/kamailio/tls/} files in {@code tlsDir} instead; for {@code TLS_CFG}.
	 */
	public static Path tlsConfig(Path dir, Path tlsDir) throws IOException {
		Path tlsCfg = dir.resolve("tls.cfg");
		Files.writeString(tlsCfg, Files.readString(KamailioProcess.PROJECT.resolve("kamailio/tls.cfg"))
			.replace("/etc/kamailio/tls/", tlsDir + "/"));
		return tlsCfg;
	}

	/**
	 * The TLS watcher beside an edge as the image runs it (polling every second, its
	 * output in {@code log}); stopped after the edges.
	 */
	public Process startTlsWatcher(KamailioProcess edge, String node, int redisPort, Path tlsDir, Path log)
			throws IOException {
		Process watcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), TlsWatcher.class.getName(), "--redis",
				"redis://127.0.0.1:" + redisPort, "--tls-dir", tlsDir.toString(), "--ctl", edge.ctlSocket(),
				"--interval", "1", "--node", node)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		uses(() -> {
			watcher.destroy();
			watcher.waitFor(10, TimeUnit.SECONDS);
		});
		return watcher;
	}

	/**
	 * Migrates this PostgreSQL with the service's Flyway migrations (the acc table among
	 * them) and gives the {@code DB_URL} define of an edge that records calls there
	 * ({@code WITH_ACC_DB}).
	 */
	public static String accDatabase(EmbeddedPostgres postgres) {
		Flyway.configure()
			.dataSource(postgres.getPostgresDatabase())
			.locations("classpath:db/migration")
			.load()
			.migrate();
		return "DB_URL=\"postgres://postgres@127.0.0.1:" + postgres.getPort() + "/postgres\"";
	}

	/** Starts one edge with the class's defines and these extra ones. */
	public KamailioProcess start(String node, int redisPort, int backendPort, String... extraDefines) {
		return start(Settings.of(redisPort, backendPort, node), extraDefines);
	}

	/**
	 * Starts one edge with these settings, the class's defines and these extra ones;
	 * stopped after the class.
	 */
	public KamailioProcess start(Settings settings, String... extraDefines) {
		List<String> all = new ArrayList<>(defines);
		all.addAll(settings.defines());
		all.addAll(List.of(extraDefines));
		KamailioProcess edge = KamailioProcess.start(settings.withDefines(all.toArray(String[]::new)));
		edges.add(edge);
		return edge;
	}

	/**
	 * Publishes a generation and waits until every running edge has loaded it.
	 * @return the generation
	 */
	public long load(LongSupplier publish) {
		long generation = publish.getAsLong();
		awaitGeneration(generation);
		return generation;
	}

	/** Waits until every running edge has loaded this generation. */
	public void awaitGeneration(long generation) {
		edges.forEach(edge -> edge.awaitGeneration(generation));
	}

	/** Every edge started, in start order. */
	public List<KamailioProcess> all() {
		return List.copyOf(edges);
	}

	/** Stops one edge now (by PID) and forgets it. */
	public void stop(KamailioProcess edge) {
		edge.close();
		edges.remove(edge);
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		Exception first = null;
		for (KamailioProcess edge : edges) {
			try {
				edge.close();
			}
			catch (RuntimeException ex) {
				first = keep(first, ex);
			}
		}
		edges.clear();
		while (!resources.isEmpty()) {
			try {
				resources.pop().close();
			}
			catch (Exception ex) {
				first = keep(first, ex);
			}
		}
		if (first != null) {
			throw first;
		}
	}

	private static Exception keep(Exception first, Exception next) {
		if (first == null) {
			return next;
		}
		first.addSuppressed(next);
		return first;
	}

}
