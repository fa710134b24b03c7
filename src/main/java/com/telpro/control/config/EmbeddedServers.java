package com.telpro.control.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The in-process PostgreSQL and Redis of the default run. One instance per data folder and JVM:
 * several Spring contexts in one test JVM share them, and a JVM shutdown hook stops them so the
 * data on disk is left consistent for the next start.
 */
public final class EmbeddedServers {

	public static final String DATABASE = "telpro";

	private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);

	private static final ConcurrentMap<Path, EmbeddedServers> running = new ConcurrentHashMap<>();

	private final Path dataDir;

	private EmbeddedPostgres postgres;

	private RedisServer redis;

	private int redisPort;

	private EmbeddedServers(Path dataDir) {
		this.dataDir = dataDir;
	}

	public static EmbeddedServers forDataDir(EmbeddedProperties properties) {
		Path dir = properties.dataDir().toAbsolutePath().normalize();
		return running.computeIfAbsent(dir, d -> {
			if (properties.clean()) {
				deleteRecursively(d);
			}
			EmbeddedServers servers = new EmbeddedServers(d);
			Runtime.getRuntime().addShutdownHook(new Thread(servers::stop, "embedded-servers-stop"));
			return servers;
		});
	}

	public synchronized String postgresJdbcUrl(int port) {
		if (postgres == null) {
			postgres = startPostgres(port);
		}
		return postgres.getJdbcUrl("postgres", DATABASE);
	}

	public synchronized String redisUrl(int port) {
		if (redis == null) {
			redisPort = port == 0 ? freePort() : port;
			redis = startRedis(redisPort);
		}
		return "redis://127.0.0.1:" + redisPort;
	}

	/** Redis is stopped and started again by tests that prove behaviour across an outage. */
	public synchronized void stopRedis() {
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
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public synchronized int redisPort() {
		return redisPort;
	}

	public synchronized int postgresPort() {
		return postgres.getPort();
	}

	public Path dataDir() {
		return dataDir;
	}

	private EmbeddedPostgres startPostgres(int port) {
		Path dir = dataDir.resolve("postgres");
		try {
			Files.createDirectories(dir.getParent());
			EmbeddedPostgres pg = EmbeddedPostgres.builder()
				.setDataDirectory(dir)
				.setCleanDataDirectory(false)
				.setPort(port == 0 ? freePort() : port)
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
	 * The embedded server is initialised with trust for every local connection. The admin service
	 * itself keeps that (it connects as the superuser {@code postgres} on loopback); every other
	 * role, such as the {@code kamailio} role Kamailio connects with, must prove its password with
	 * SCRAM-SHA-256, as the field manual sets pg_hba.conf up.
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

	private synchronized void stop() {
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

}
