package com.telpro.control.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The in-process PostgreSQL and Redis of the default run. One instance per data folder
 * and JVM: several Spring contexts in one test JVM share them, and a JVM shutdown hook
 * stops them so the data on disk is left consistent for the next start.
 * <p>
 * Supervised, because a newcomer's run must heal itself: the JVM holds a lock on
 * {@code <data>/telpro.pid} while it runs, so a server process still recorded in a pid
 * file of the data folder at start is an orphan of a crashed run (its owner died, the
 * lock went with it) and is stopped; a foreign program on a port is reported in one line
 * that names the setting to change; a server that dies under the running service is
 * started again with backoff and shows in health.
 */
public final class EmbeddedServers {

	public static final String DATABASE = "telpro";

	static final String POSTGRES_PORT_SETTING = "TELPRO_EMBEDDED_POSTGRES_PORT";

	static final String REDIS_PORT_SETTING = "TELPRO_EMBEDDED_REDIS_PORT";

	static final String DATA_DIR_SETTING = "TELPRO_EMBEDDED_DATA_DIR";

	/** How often the supervisor looks; restarts back off from 1 s doubling up to 30 s. */
	private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);

	private static final ConcurrentMap<Path, EmbeddedServers> running = new ConcurrentHashMap<>();

	private final Path dataDir;

	private final FileLock ownerLock;

	private EmbeddedPostgres postgres;

	private int postgresPort;

	private RedisServer redis;

	private int redisPort;

	/** False while a test keeps Redis down on purpose: the supervisor leaves it down. */
	private boolean redisWanted;

	private final Supervised postgresState = new Supervised("PostgreSQL");

	private final Supervised redisState = new Supervised("Redis");

	private ScheduledExecutorService supervisor;

	private EmbeddedServers(Path dataDir, FileLock ownerLock) {
		this.dataDir = dataDir;
		this.ownerLock = ownerLock;
	}

	public static EmbeddedServers forDataDir(EmbeddedProperties properties) {
		Path dir = properties.dataDir().toAbsolutePath().normalize();
		return running.computeIfAbsent(dir, d -> {
			if (properties.clean()) {
				deleteRecursively(d);
			}
			EmbeddedServers servers = new EmbeddedServers(d, lockDataDir(d));
			Runtime.getRuntime().addShutdownHook(new Thread(servers::stop, "embedded-servers-stop"));
			return servers;
		});
	}

	/**
	 * The servers this JVM runs for that data folder, if it runs any (health reads them).
	 */
	static Optional<EmbeddedServers> existing(Path dataDir) {
		return Optional.ofNullable(running.get(dataDir.toAbsolutePath().normalize()));
	}

	/**
	 * Before starting anything: stops orphans of a crashed run and checks the fixed
	 * ports, so a conflict is reported alone, before one server has started and logged.
	 */
	public synchronized void preflight(EmbeddedProperties properties, boolean withPostgres, boolean withRedis,
			Consumer<String> warn) {
		if (withPostgres && postgres == null) {
			stopOrphan(postgresPidFile(), "postgres", "PostgreSQL", warn);
			if (properties.postgresPort() != 0) {
				requireFreePort(properties.postgresPort(), "PostgreSQL", POSTGRES_PORT_SETTING);
			}
		}
		if (withRedis && redis == null) {
			stopOrphan(redisPidFile(), "redis-server", "Redis", warn);
			if (properties.redisPort() != 0) {
				requireFreePort(properties.redisPort(), "Redis", REDIS_PORT_SETTING);
			}
		}
	}

	public synchronized String postgresJdbcUrl(int port) {
		if (postgres == null) {
			stopOrphan(postgresPidFile(), "postgres", "PostgreSQL", log::warn);
			postgresPort = port == 0 ? freePort() : port;
			requireFreePort(postgresPort, "PostgreSQL", POSTGRES_PORT_SETTING);
			postgres = startPostgres(postgresPort);
			startSupervisor();
		}
		return postgres.getJdbcUrl("postgres", DATABASE);
	}

	public synchronized String redisUrl(int port) {
		if (redis == null) {
			stopOrphan(redisPidFile(), "redis-server", "Redis", log::warn);
			redisPort = port == 0 ? freePort() : port;
			requireFreePort(redisPort, "Redis", REDIS_PORT_SETTING);
			redis = startRedis(redisPort);
			redisWanted = true;
			startSupervisor();
		}
		return "redis://127.0.0.1:" + redisPort;
	}

	/**
	 * Redis is stopped and started again by tests that prove behaviour across an outage.
	 */
	public synchronized void stopRedis() {
		redisWanted = false;
		try {
			if (redis != null && redis.isActive()) {
				redis.stop();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public synchronized void startRedis() {
		try {
			if (redis != null && !redis.isActive()) {
				redis.start();
			}
			redisWanted = redis != null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public synchronized int redisPort() {
		return redisPort;
	}

	public synchronized int postgresPort() {
		return postgresPort;
	}

	public Path dataDir() {
		return dataDir;
	}

	/**
	 * The process id of the running embedded Redis, from its pid file; tests kill it by
	 * that.
	 */
	public Optional<Long> redisPid() {
		return readPid(redisPidFile());
	}

	public Optional<Long> postgresPid() {
		return readPid(postgresPidFile());
	}

	synchronized Supervised.Snapshot postgresHealth() {
		return postgres == null ? null : postgresState.snapshot(postgresPort, true);
	}

	synchronized Supervised.Snapshot redisHealth() {
		return redis == null ? null : redisState.snapshot(redisPort, redisWanted);
	}

	private Path postgresPidFile() {
		return dataDir.resolve("postgres").resolve("postmaster.pid");
	}

	private Path redisPidFile() {
		return dataDir.resolve("redis").resolve("redis.pid");
	}

	/**
	 * Holds {@code <data>/telpro.pid} locked for the life of this JVM (the OS drops the
	 * lock when the process dies, however it dies). A second service on the same data
	 * folder would fight the first over the same database files and ports, so it stops
	 * here with one line.
	 */
	@SuppressWarnings("resource") // the channel stays open, and locked, until the JVM
									// exits
	private static FileLock lockDataDir(Path dir) {
		Path pidFile = dir.resolve("telpro.pid");
		try {
			Files.createDirectories(dir);
			FileChannel channel = FileChannel.open(pidFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
					StandardOpenOption.WRITE);
			FileLock lock = channel.tryLock();
			if (lock == null) {
				String owner = readPid(pidFile).map(pid -> " (pid " + pid + ")").orElse("");
				channel.close();
				throw new EmbeddedServerException("Data folder " + dir + " is in use by another running Telpro service"
						+ owner + ": stop that one, or set " + DATA_DIR_SETTING + " to another folder.");
			}
			channel.truncate(0);
			channel.write(StandardCharsets.US_ASCII.encode(ProcessHandle.current().pid() + "\n"), 0);
			channel.force(true);
			return lock;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot lock " + pidFile, ex);
		}
	}

	/**
	 * A server process recorded in this data folder's pid file while this JVM holds the
	 * folder's lock was left behind by a run that died without stopping it (kill -9, a
	 * power cut of the JVM): stop it, gracefully first, so the data folder and its port
	 * are free for this run.
	 */
	private void stopOrphan(Path pidFile, String command, String what, Consumer<String> warn) {
		Optional<ProcessHandle> orphan = readPid(pidFile).flatMap(ProcessHandle::of)
			.filter(ProcessHandle::isAlive)
			.filter(p -> p.pid() != ProcessHandle.current().pid())
			.filter(p -> p.info().command().map(c -> c.contains(command)).orElse(false));
		if (orphan.isEmpty()) {
			return;
		}
		ProcessHandle process = orphan.get();
		warn.accept("Stopping the embedded " + what + " (pid " + process.pid()
				+ ") left running by an earlier run that did not stop, on data folder " + dataDir);
		process.destroy();
		if (!awaitExit(process, Duration.ofSeconds(30))) {
			process.destroyForcibly();
			awaitExit(process, Duration.ofSeconds(10));
		}
	}

	private static boolean awaitExit(ProcessHandle process, Duration timeout) {
		try {
			process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (Exception ex) {
			return !process.isAlive();
		}
	}

	/**
	 * Another program holds the port: say which port and which setting moves us, nothing
	 * more.
	 */
	private static void requireFreePort(int port, String what, String setting) {
		try (ServerSocket probe = new ServerSocket()) {
			probe.setReuseAddress(true);
			probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		}
		catch (BindException ex) {
			throw new EmbeddedServerException("Port " + port + " for the embedded " + what
					+ " is in use by another program on 127.0.0.1: stop it, or set " + setting
					+ " to a free port (0 picks one).");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private EmbeddedPostgres startPostgres(int port) {
		Path dir = dataDir.resolve("postgres");
		try {
			Files.createDirectories(dir.getParent());
			EmbeddedPostgres pg = EmbeddedPostgres.builder()
				.setDataDirectory(dir)
				.setCleanDataDirectory(false)
				.setPort(port)
				.setServerConfig("listen_addresses", "127.0.0.1")
				.start();
			createDatabaseIfMissing(pg);
			requireScramForOtherRoles(pg, dir);
			return pg;
		}
		catch (IOException | SQLException ex) {
			throw new IllegalStateException("Embedded PostgreSQL did not start (data folder " + dir + ")", ex);
		}
	}

	private static void createDatabaseIfMissing(EmbeddedPostgres pg) throws SQLException {
		try (Connection c = pg.getPostgresDatabase().getConnection();
				var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
			exists.setString(1, DATABASE);
			if (!exists.executeQuery().next()) {
				c.createStatement().execute("create database " + DATABASE);
			}
		}
	}

	/**
	 * The embedded server is initialised with trust for every local connection. The admin
	 * service itself keeps that (it connects as the superuser {@code postgres} on
	 * loopback); every other role, such as the {@code kamailio} role Kamailio connects
	 * with, must prove its password with SCRAM-SHA-256, as the field manual sets
	 * pg_hba.conf up.
	 */
	private static void requireScramForOtherRoles(EmbeddedPostgres pg, Path dir) throws IOException, SQLException {
		Files.writeString(dir.resolve("pg_hba.conf"), PG_HBA);
		try (Connection c = pg.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
			s.execute("select pg_reload_conf()");
		}
	}

	private static final String PG_HBA = """
			# Written by the admin service at every start of the embedded server.
			# TYPE  DATABASE  USER      ADDRESS        METHOD
			local   all       postgres                 trust
			host    all       postgres  127.0.0.1/32   trust
			host    all       postgres  ::1/128        trust
			host    all       all       127.0.0.1/32   scram-sha-256
			host    all       all       ::1/128        scram-sha-256
			""";

	private RedisServer startRedis(int port) {
		Path dir = dataDir.resolve("redis");
		try {
			Files.createDirectories(dir);
			RedisServer server = RedisServer.newRedisServer()
				.bind("127.0.0.1")
				.port(port)
				.setting("dir " + dir)
				.setting("pidfile " + redisPidFile())
				.setting("appendonly yes")
				.setting("save 60 1")
				.setting("protected-mode yes")
				.build();
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Embedded Redis did not start (data folder " + dir + ")", ex);
		}
	}

	private void startSupervisor() {
		if (supervisor == null) {
			supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
				Thread t = new Thread(r, "embedded-servers-supervisor");
				t.setDaemon(true);
				return t;
			});
			supervisor.scheduleWithFixedDelay(this::superviseQuietly, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	private void superviseQuietly() {
		try {
			supervise();
		}
		catch (RuntimeException ex) { // never let the scheduled task die
			log.warn("Embedded servers supervisor: {}", ex.toString());
		}
	}

	private synchronized void supervise() {
		if (redis != null && redisWanted) {
			if (isRunning(redisPidFile(), "redis-server")) {
				redisState.up();
			}
			else if (redisState.dueForRestart()) {
				restartRedis();
			}
		}
		if (postgres != null) {
			if (isRunning(postgresPidFile(), "postgres")) {
				postgresState.up();
			}
			else if (postgresState.dueForRestart()) {
				restartPostgres();
			}
		}
	}

	private void restartRedis() {
		restart(redisState, redisPort, REDIS_PORT_SETTING, () -> {
			try {
				redis.stop(); // reaps the dead child; a no-op for the process itself
			}
			catch (IOException | RuntimeException ex) {
				log.debug("Stopping the dead embedded Redis: {}", ex.toString());
			}
		}, () -> redis = startRedis(redisPort));
	}

	private void restartPostgres() {
		restart(postgresState, postgresPort, POSTGRES_PORT_SETTING, this::closeDeadPostgres,
				() -> postgres = startPostgres(postgresPort));
	}

	/**
	 * Starts a server that died again on its port, after cleaning up after it; a failed
	 * start is retried later (the state's back-off).
	 */
	private void restart(Supervised state, int port, String portSetting, Runnable cleanUp, Runnable start) {
		String name = state.name();
		log.warn("Embedded {} on 127.0.0.1:{} is not running; starting it again (attempt {})", name, port,
				state.attempt());
		cleanUp.run();
		try {
			requireFreePort(port, name, portSetting);
			start.run();
			state.restarted();
			log.info("Embedded {} is back on 127.0.0.1:{}", name, port);
		}
		catch (RuntimeException ex) {
			Duration wait = state.failed(ex);
			log.warn("Embedded {} did not start again ({}); next attempt in {} s", name, rootMessage(ex),
					wait.toSeconds());
		}
	}

	/**
	 * Releases zonky's lock on the data folder so a new server can start there. Its
	 * pg_ctl stop finds no server and zonky logs that as an ERROR with a stack trace; the
	 * restart is already logged above, so zonky's logger is muted for this one call.
	 */
	private void closeDeadPostgres() {
		org.slf4j.Logger zonky = LoggerFactory.getLogger(EmbeddedPostgres.class);
		ch.qos.logback.classic.Logger logback = zonky instanceof ch.qos.logback.classic.Logger l ? l : null;
		ch.qos.logback.classic.Level level = logback == null ? null : logback.getLevel();
		if (logback != null) {
			logback.setLevel(ch.qos.logback.classic.Level.OFF);
		}
		try {
			postgres.close();
		}
		catch (IOException | RuntimeException ex) {
			log.debug("Closing the dead embedded PostgreSQL: {}", ex.toString());
		}
		finally {
			if (logback != null) {
				logback.setLevel(level);
			}
		}
	}

	private static boolean isRunning(Path pidFile, String command) {
		return readPid(pidFile).flatMap(ProcessHandle::of)
			.filter(ProcessHandle::isAlive)
			.map(p -> p.info().command().map(c -> c.contains(command)).orElse(true))
			.orElse(false);
	}

	private static Optional<Long> readPid(Path pidFile) {
		try {
			if (!Files.isRegularFile(pidFile)) {
				return Optional.empty();
			}
			String first = Files.readString(pidFile, StandardCharsets.US_ASCII).lines().findFirst().orElse("").trim();
			return first.matches("[0-9]{1,10}") ? Optional.of(Long.parseLong(first)) : Optional.empty();
		}
		catch (IOException | UncheckedIOException ex) {
			return Optional.empty();
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getMessage();
	}

	private synchronized void stop() {
		if (supervisor != null) {
			supervisor.shutdownNow();
		}
		redisWanted = false;
		try {
			if (redis != null && redis.isActive()) {
				redis.stop();
			}
			if (postgres != null) {
				postgres.close();
			}
		}
		catch (IOException ex) {
			log.warn("Embedded servers did not stop cleanly: {}", ex.getMessage());
		}
		try {
			ownerLock.release();
			ownerLock.channel().close();
		}
		catch (IOException ex) {
			// the JVM is exiting; the OS drops the lock anyway
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void deleteRecursively(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Up/down and restarts of one supervised server, with the restart backoff. */
	static final class Supervised {

		private final String name;

		private boolean down;

		private int restarts;

		private int failedAttempts;

		private Instant lastRestart;

		private Instant nextAttempt = Instant.MIN;

		private String lastError;

		Supervised(String name) {
			this.name = name;
		}

		String name() {
			return name;
		}

		void up() {
			down = false;
			failedAttempts = 0;
			nextAttempt = Instant.MIN;
		}

		boolean dueForRestart() {
			down = true;
			return !Instant.now().isBefore(nextAttempt);
		}

		int attempt() {
			return failedAttempts + 1;
		}

		void restarted() {
			restarts++;
			lastRestart = Instant.now();
			lastError = null;
			up();
		}

		Duration failed(RuntimeException ex) {
			failedAttempts++;
			lastError = rootMessage(ex);
			long seconds = Math.min(MAX_BACKOFF.toSeconds(), 1L << Math.min(failedAttempts - 1, 5));
			nextAttempt = Instant.now().plusSeconds(seconds);
			return Duration.ofSeconds(seconds);
		}

		Snapshot snapshot(int port, boolean wanted) {
			return new Snapshot(name, port, wanted ? (down ? "DOWN" : "UP") : "STOPPED", restarts, lastRestart,
					lastError);
		}

		record Snapshot(String name, int port, String state, int restarts, Instant lastRestart, String lastError) {
		}

	}

}
