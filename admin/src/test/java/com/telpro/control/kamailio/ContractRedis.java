package com.telpro.control.kamailio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.support.Loopback;
import com.telpro.control.sync.GenerationWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import redis.embedded.RedisServer;

/**
 * A private Redis (not the one the Spring tests share, so it can be stopped) that
 * generations are published to as the admin service publishes them.
 */
final class ContractRedis implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final int port = Loopback.freeSipPort();

	private RedisServer server;

	private RedisClient client;

	private StatefulRedisConnection<String, String> connection;

	private long lastPublished;

	private GenerationWriter writer;

	// null: no persistence; else an append-only file there, as production Redis runs
	// (compose)
	private java.nio.file.Path dataDir;

	/**
	 * A Redis that keeps its data across {@link #stop()} and {@link #start()}, like
	 * production's (AOF).
	 */
	static ContractRedis persistent() {
		ContractRedis redis = new ContractRedis();
		try {
			redis.dataDir = java.nio.file.Files.createTempDirectory("telpro-contract-redis-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return redis;
	}

	/** Starts Redis on this instance's port; does nothing while it runs. */
	void start() {
		if (server != null && server.isActive()) {
			return;
		}
		try {
			server = dataDir == null
					? RedisServer.newRedisServer()
						.bind("127.0.0.1")
						.port(port)
						.setting("save \"\"")
						.setting("appendonly no")
						.build()
					: RedisServer.newRedisServer()
						.bind("127.0.0.1")
						.port(port)
						.setting("save \"\"")
						.setting("dir " + dataDir)
						.setting("appendonly yes")
						.setting("appendfsync always")
						.build();
			server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (client == null) {
			client = RedisClient.create(
					RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(2)).build());
		}
	}

	void stop() {
		if (connection != null) {
			connection.close();
			connection = null;
		}
		try {
			if (server != null && server.isActive()) {
				server.stop();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return port;
	}

	RedisCommands<String, String> commands() {
		if (connection == null) {
			connection = client.connect();
		}
		return connection.sync();
	}

	/**
	 * Publishes these trunks as the admin service does (sync/GenerationWriter: the
	 * service's builder and publisher).
	 */
	long publish(List<EdgeTrunk> trunks) {
		if (writer == null) {
			writer = GenerationWriter.onPort(port);
		}
		lastPublished = writer.publish(trunks.stream().map(EdgeTrunk::trunk).toList());
		return lastPublished;
	}

	/** A document exactly as given, valid or not. */
	long publishRaw(String document) {
		long generation = commands().incr("telpro:v1:generation:seq");
		publishRaw(generation, document);
		return generation;
	}

	private void publishRaw(long generation, String document) {
		commands().set("telpro:v1:gen:" + generation, document);
		commands().set("telpro:v1:generation", Long.toString(generation));
		lastPublished = generation;
	}

	long lastPublished() {
		return lastPublished;
	}

	void createXCall(String id) {
		createXCall(id, null);
	}

	/**
	 * An X-Call as the admin service writes it: bound to a trunk by name, or to none
	 * (null).
	 */
	void createXCall(String id, String trunk) {
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("created_at", "2026-11-24T10:42:07Z");
		value.put("trunk", trunk);
		commands().setex("telpro:v1:xcall:" + id, 120, toJson(value));
	}

	boolean exists(String key) {
		return commands().exists(key) > 0;
	}

	String get(String key) {
		return commands().get(key);
	}

	/**
	 * The reason of every call record (stream {@code telpro:v1:calls}, field {@code r},
	 * CALL-RECORDS.md) the edge appended for a Call-ID, in stream order.
	 */
	List<String> recordReasons(String callId) {
		return recordReasons().getOrDefault(callId, List.of());
	}

	/** Every call record in the stream: Call-ID -> reasons in stream order. */
	Map<String, List<String>> recordReasons() {
		Map<String, List<String>> reasons = new LinkedHashMap<>();
		for (io.lettuce.core.StreamMessage<String, String> m : commands().xrange("telpro:v1:calls",
				io.lettuce.core.Range.create("-", "+"))) {
			String json = m.getBody().get("r");
			if (json == null) {
				continue;
			}
			try {
				com.fasterxml.jackson.databind.JsonNode record = JSON.readTree(json);
				reasons.computeIfAbsent(record.path("call_id").asText(), k -> new java.util.ArrayList<>())
					.add(record.path("reason").asText());
			}
			catch (JsonProcessingException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return reasons;
	}

	private static String toJson(Object value) {
		try {
			return JSON.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		if (writer != null) {
			writer.close();
		}
		stop();
		if (client != null) {
			client.shutdown();
		}
	}

}
