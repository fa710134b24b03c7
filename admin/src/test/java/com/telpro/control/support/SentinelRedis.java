package com.telpro.control.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Redis that survives the loss of its primary, as real processes on loopback: one
 * primary, one replica and three Sentinels (quorum 2) watching master {@value #MASTER}.
 * Everything is stopped by its own PID.
 */
public final class SentinelRedis implements AutoCloseable {

	public static final String MASTER = "telpro";

	private final Path dir;

	private final int primaryPort = Loopback.freeSipPort();

	private final int replicaPort = Loopback.freeSipPort();

	private final List<Integer> sentinelPorts = List.of(Loopback.freeSipPort(), Loopback.freeSipPort(),
			Loopback.freeSipPort());

	private final List<Process> processes = new ArrayList<>();

	private Process primary;

	public SentinelRedis() {
		try {
			dir = Files.createTempDirectory("telpro-sentinel-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public void start() {
		primary = redis(primaryPort);
		redis(replicaPort, "--replicaof", "127.0.0.1", Integer.toString(primaryPort));
		for (int port : sentinelPorts) {
			sentinel(port);
		}
		Await.until(() -> {
			try {
				return "127.0.0.1".equals(masterAddress()[0]) && replicaInSync()
						&& sentinelPorts.stream().allMatch(this::seesTheOthers);
			}
			catch (RuntimeException notYet) {
				return false;
			}
		}, Duration.ofSeconds(30));
	}

	/**
	 * Sentinels find each other through the primary's hello channel (every 2 s): until
	 * each knows the two others and the replica, killing the primary would never reach
	 * the quorum.
	 */
	private boolean seesTheOthers(int sentinelPort) {
		try (RedisClient client = client(sentinelPort)) {
			List<String> fields = client.connect()
				.sync()
				.dispatch(io.lettuce.core.protocol.CommandType.SENTINEL,
						new io.lettuce.core.output.ValueListOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
						new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add("master")
							.add(MASTER));
			int others = -1;
			int replicas = -1;
			for (int i = 0; i + 1 < fields.size(); i += 2) {
				if ("num-other-sentinels".equals(fields.get(i))) {
					others = Integer.parseInt(fields.get(i + 1));
				}
				if ("num-slaves".equals(fields.get(i))) {
					replicas = Integer.parseInt(fields.get(i + 1));
				}
			}
			return others == sentinelPorts.size() - 1 && replicas == 1;
		}
	}

	private boolean replicaInSync() {
		try (RedisClient client = client(primaryPort)) {
			return client.connect().sync().info("replication").contains("slave0:");
		}
	}

	/**
	 * The ndb_redis server definition of an edge that finds the primary through Sentinel
	 * number {@code index}. ndb_redis 5.6: {@code sentinel_group} is the master's name in
	 * the Sentinels, {@code sentinel_master=1} asks for the primary. Debian's 5.6.3
	 * mishandles a second {@code sentinel=} entry (it truncates the address and connects
	 * to the last Sentinel's port; fixed in later 5.6.x), so each edge names exactly one
	 * Sentinel: its own, beside it.
	 */
	public String ndbRedisServer(int index) {
		return "name=telpro;sentinel_group=" + MASTER + ";sentinel_master=1;sentinel=127.0.0.1:"
				+ sentinelPorts.get(index);
	}

	/** The Lettuce/Spring form: redis-sentinel://host:port,host:port#master. */
	public String sentinelUrl() {
		StringBuilder s = new StringBuilder("redis-sentinel://");
		for (int i = 0; i < sentinelPorts.size(); i++) {
			s.append(i == 0 ? "" : ",").append("127.0.0.1:").append(sentinelPorts.get(i));
		}
		return s.append("#").append(MASTER).toString();
	}

	/** Spring's form, spring.data.redis.sentinel.nodes: host:port,host:port. */
	public String sentinelNodes() {
		return String.join(",", sentinelPorts.stream().map(p -> "127.0.0.1:" + p).toList());
	}

	/** Waits until the Sentinels name the former replica as the primary. */
	public void awaitPromotion(Duration limit) {
		Await.until(() -> {
			try {
				return Integer.parseInt(masterAddress()[1]) == replicaPort;
			}
			catch (RuntimeException notYet) {
				return false;
			}
		}, limit);
	}

	/** host, port of the primary as the Sentinels report it now. */
	public String[] masterAddress() {
		try (RedisClient client = client(sentinelPorts.get(0))) {
			var address = client.connect()
				.sync()
				.dispatch(io.lettuce.core.protocol.CommandType.SENTINEL,
						new io.lettuce.core.output.ValueListOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
						new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
							.add("get-master-addr-by-name")
							.add(MASTER));
			return new String[] { (String) address.get(0), (String) address.get(1) };
		}
	}

	public int primaryPort() {
		return primaryPort;
	}

	public int replicaPort() {
		return replicaPort;
	}

	/** Commands on whichever node is primary now (asked of the Sentinels). */
	public <T> T onPrimary(java.util.function.Function<RedisCommands<String, String>, T> work) {
		int port = Integer.parseInt(masterAddress()[1]);
		try (RedisClient client = client(port); StatefulRedisConnection<String, String> c = client.connect()) {
			return work.apply(c.sync());
		}
	}

	/** kill -9 of the primary process. */
	public void killPrimary() {
		primary.destroyForcibly();
		try {
			primary.waitFor(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static RedisClient client(int port) {
		return RedisClient
			.create(RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(2)).build());
	}

	private Process redis(int port, String... extra) {
		List<String> command = new ArrayList<>(
				List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
						"--appendonly", "no", "--dir", dir.toString(), "--dbfilename", "dump-" + port + ".rdb"));
		command.addAll(List.of(extra));
		return start(command, "redis-" + port + ".log");
	}

	private void sentinel(int port) {
		Path config = dir.resolve("sentinel-" + port + ".conf");
		try {
			Files.writeString(config, String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + dir,
					"sentinel monitor " + MASTER + " 127.0.0.1 " + primaryPort + " 2",
					"sentinel down-after-milliseconds " + MASTER + " 1000",
					"sentinel failover-timeout " + MASTER + " 5000", "sentinel parallel-syncs " + MASTER + " 1", ""));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		start(List.of("redis-server", config.toString(), "--sentinel"), "sentinel-" + port + ".log");
	}

	private Process start(List<String> command, String log) {
		try {
			Process p = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(dir.resolve(log).toFile())
				.start();
			processes.add(p);
			return p;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		processes.forEach(Process::destroy);
		for (Process p : processes) {
			try {
				if (!p.waitFor(5, TimeUnit.SECONDS)) {
					p.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
