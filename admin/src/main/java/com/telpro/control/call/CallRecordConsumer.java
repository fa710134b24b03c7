package com.telpro.control.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.telpro.contract.RedisContract;
import com.telpro.control.call.CallRecordProperties;
import com.telpro.control.call.CallRecordStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.StreamOperations;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Moves the edge's call records from the Redis stream into PostgreSQL, at least once:
 * entries are read through the consumer group {@code admin}, stored in one transaction
 * ({@link CallRecordStore}, idempotent), and only then acknowledged and deleted. Whatever
 * fails in between (PostgreSQL away, the service stopped) leaves the entries pending;
 * they are read again (own pending entries first, then those another consumer left idle
 * for {@code claim-idle}).
 */
@Component
class CallRecordConsumer implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(CallRecordConsumer.class);

	private static final String FIELD = "r";

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	private final StringRedisTemplate redis;

	private final CallRecordStore store;

	private final CallRecordProperties properties;

	private final Consumer consumer;

	private volatile Thread worker;

	private volatile boolean running;

	CallRecordConsumer(StringRedisTemplate redis, CallRecordStore store, CallRecordProperties properties) {
		this.redis = redis;
		this.store = store;
		this.properties = properties;
		this.consumer = Consumer.from(RedisContract.CALLS_GROUP, properties.consumerName());
	}

	@Override
	public void start() {
		if (!properties.consumerEnabled()) {
			return;
		}
		running = true;
		worker = new Thread(this::run, "call-records");
		worker.setDaemon(true);
		worker.start();
	}

	@Override
	public void stop() {
		running = false;
		Thread t = worker;
		if (t != null) {
			t.interrupt();
			try {
				t.join(Duration.ofSeconds(5).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	private void run() {
		Duration backoff = properties.pollInterval();
		boolean groupReady = false;
		boolean pendingFirst = true;
		while (running) {
			try {
				if (!groupReady) {
					createGroup();
					groupReady = true;
				}
				int moved;
				if (pendingFirst) {
					// after a start or a failure: what this consumer read but never
					// acknowledged
					moved = move(read(ReadOffset.from("0")));
					pendingFirst = moved > 0;
					moved += claimAbandoned();
				}
				else {
					moved = move(read(ReadOffset.lastConsumed()));
				}
				backoff = properties.pollInterval();
				if (moved == 0) {
					pause(backoff);
				}
			}
			catch (RuntimeException ex) {
				if (!running) {
					return;
				}
				log.warn("Call records not moved to PostgreSQL yet (retry in {}): {}", backoff, ex.getMessage());
				pendingFirst = true;
				if (ex instanceof RedisSystemException && String.valueOf(ex.getMessage()).contains("NOGROUP")) {
					groupReady = false;
				}
				pause(backoff);
				backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
			}
		}
	}

	private StreamOperations<String, Object, Object> stream() {
		return redis.opsForStream();
	}

	private void createGroup() {
		try {
			redis.execute((org.springframework.data.redis.core.RedisCallback<Object>) c -> c.streamCommands()
				.xGroupCreate(RedisContract.CALLS.getBytes(java.nio.charset.StandardCharsets.UTF_8),
						RedisContract.CALLS_GROUP, ReadOffset.from("0"), true));
		}
		catch (RuntimeException ex) {
			if (!String.valueOf(ex.getMessage()).contains("BUSYGROUP")
					&& !(ex.getCause() != null && String.valueOf(ex.getCause().getMessage()).contains("BUSYGROUP"))) {
				throw ex;
			}
		}
	}

	private List<MapRecord<String, Object, Object>> read(ReadOffset offset) {
		List<MapRecord<String, Object, Object>> records = stream().read(consumer,
				StreamReadOptions.empty().count(properties.batchSize()),
				StreamOffset.create(RedisContract.CALLS, offset));
		return records == null ? List.of() : records;
	}

	// entries another consumer (a crashed instance under another name) left
	// unacknowledged
	private int claimAbandoned() {
		PendingMessages pending = stream().pending(RedisContract.CALLS, RedisContract.CALLS_GROUP, Range.unbounded(),
				properties.batchSize());
		List<RecordId> stale = new ArrayList<>();
		for (PendingMessage m : pending) {
			if (!m.getConsumerName().equals(properties.consumerName())
					&& m.getElapsedTimeSinceLastDelivery().compareTo(properties.claimIdle()) >= 0) {
				stale.add(m.getId());
			}
		}
		if (stale.isEmpty()) {
			return 0;
		}
		List<MapRecord<String, Object, Object>> claimed = stream().claim(RedisContract.CALLS, RedisContract.CALLS_GROUP,
				properties.consumerName(), properties.claimIdle(), stale.toArray(RecordId[]::new));
		return move(claimed);
	}

	// stored first, acknowledged and deleted after the commit: a crash in between only
	// repeats
	private int move(List<MapRecord<String, Object, Object>> records) {
		if (records.isEmpty()) {
			return 0;
		}
		List<String> entries = new ArrayList<>(records.size());
		List<RecordId> ids = new ArrayList<>(records.size());
		for (MapRecord<String, Object, Object> r : records) {
			Map<Object, Object> value = r.getValue();
			Object json = value.get(FIELD);
			entries.add(json == null ? null : json.toString());
			ids.add(r.getId());
		}
		store.store(entries);
		RecordId[] done = ids.toArray(RecordId[]::new);
		stream().acknowledge(RedisContract.CALLS, RedisContract.CALLS_GROUP, done);
		stream().delete(RedisContract.CALLS, done);
		return records.size();
	}

	private void pause(Duration d) {
		try {
			Thread.sleep(d.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			running = false;
		}
	}

}
