package com.telpro.control.support;

import java.nio.file.Path;

import com.telpro.control.config.EmbeddedProperties;
import com.telpro.control.config.EmbeddedServers;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.FixedHostPortGenericContainer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The one switch between the servers the tests run against: Testcontainers' PostgreSQL
 * and Redis where a Docker engine answers (GitHub's runners), the embedded ones
 * everywhere else (this machine, CI here). {@code TELPRO_TEST_SERVERS=embedded|docker}
 * forces a side; the default {@code auto} asks Docker. Spring contexts learn the choice
 * from {@link TestServersPostProcessor}; tests that drive Kamailio or stop Redis ask this
 * class for ports and outages, so they run unchanged on both sides.
 */
public abstract sealed class TestServers {

	/**
	 * Where the embedded side keeps its data: the folder
	 * src/test/resources/config/application.yml names, or one per Surefire fork (the
	 * build sets {@code telpro.embedded.data-dir} per fork, so forks running side by side
	 * never share a PostgreSQL).
	 */
	static final EmbeddedProperties EMBEDDED = new EmbeddedProperties(
			Path.of(System.getProperty("telpro.embedded.data-dir", "target/embedded-test")), 0, 0, true);

	private static TestServers current;

	public static synchronized TestServers get() {
		if (current == null) {
			current = useDocker() ? new Containers() : new Embedded();
		}
		return current;
	}

	static boolean useDocker() {
		String mode = System.getenv().getOrDefault("TELPRO_TEST_SERVERS", "auto");
		return switch (mode) {
			case "docker" -> true;
			case "embedded" -> false;
			default -> DockerClientFactory.instance().isDockerAvailable();
		};
	}

	/**
	 * Null on the embedded side: the application's own bootstrap starts those servers.
	 */
	abstract String jdbcUrl();

	abstract String redisUrl();

	public abstract int redisPort();

	/** A db_postgres URL for Kamailio's acc module. */
	public abstract String kamailioDbUrl();

	/**
	 * The loopback port of the test PostgreSQL (database {@code telpro}), for connecting
	 * as another role.
	 */
	public abstract int postgresPort();

	/**
	 * Redis goes away (connections refused) until {@link #startRedis()}; its data
	 * survives.
	 */
	public abstract void stopRedis();

	public abstract void startRedis();

	/**
	 * The embedded servers themselves (tests that kill one under the service), empty with
	 * containers.
	 */
	public java.util.Optional<EmbeddedServers> embedded() {
		return java.util.Optional.empty();
	}

	static final class Embedded extends TestServers {

		private final EmbeddedServers servers = EmbeddedServers.forDataDir(EMBEDDED);

		@Override
		String jdbcUrl() {
			return null;
		}

		@Override
		String redisUrl() {
			return null;
		}

		@Override
		public int redisPort() {
			servers.redisUrl(EMBEDDED.redisPort());
			return servers.redisPort();
		}

		@Override
		public String kamailioDbUrl() {
			servers.postgresJdbcUrl(EMBEDDED.postgresPort());
			return "postgres://postgres@127.0.0.1:" + servers.postgresPort() + "/" + EmbeddedServers.DATABASE;
		}

		@Override
		public int postgresPort() {
			servers.postgresJdbcUrl(EMBEDDED.postgresPort());
			return servers.postgresPort();
		}

		@Override
		public void stopRedis() {
			servers.stopRedis();
		}

		@Override
		public void startRedis() {
			servers.startRedis();
		}

		@Override
		public java.util.Optional<EmbeddedServers> embedded() {
			return java.util.Optional.of(servers);
		}

	}

	static final class Containers extends TestServers {

		private final PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>("postgres:16-alpine")
			.withDatabaseName(EmbeddedServers.DATABASE);

		private final int redisPort = Loopback.freeSipPort();

		// A fixed host port, so Kamailio's -A setting stays right across a stop and start
		// of Redis.
		@SuppressWarnings({ "deprecation", "resource" })
		private final GenericContainer<?> redis = new FixedHostPortGenericContainer<>("redis:7-alpine")
			.withFixedExposedPort(redisPort, 6379)
			.withCommand("redis-server", "--appendonly", "yes");

		Containers() {
			postgres.start();
			redis.start();
		}

		@Override
		String jdbcUrl() {
			return postgres.getJdbcUrl();
		}

		@Override
		String redisUrl() {
			return "redis://127.0.0.1:" + redisPort;
		}

		String username() {
			return postgres.getUsername();
		}

		String password() {
			return postgres.getPassword();
		}

		@Override
		public int redisPort() {
			return redisPort;
		}

		@Override
		public String kamailioDbUrl() {
			return "postgres://" + postgres.getUsername() + ":" + postgres.getPassword() + "@127.0.0.1:"
					+ postgres.getMappedPort(5432) + "/" + EmbeddedServers.DATABASE;
		}

		@Override
		public int postgresPort() {
			return postgres.getMappedPort(5432);
		}

		@Override
		public void stopRedis() {
			DockerClientFactory.instance().client().stopContainerCmd(redis.getContainerId()).exec();
		}

		@Override
		public void startRedis() {
			DockerClientFactory.instance().client().startContainerCmd(redis.getContainerId()).exec();
		}

	}

}
