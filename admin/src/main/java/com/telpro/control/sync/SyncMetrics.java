package com.telpro.control.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.annotation.PreDestroy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The admin service's own metrics for Prometheus ({@code /actuator/prometheus}): syncs
 * (from the sync history, so they survive a restart), X-Calls created, the age of each
 * edge's heartbeat, and the call-record ingest lag the record ingest reports through
 * {@link #recordIngested(Instant)}.
 */
@Component
public class SyncMetrics implements MeterBinder {

	private final JdbcTemplate jdbc;

	private final ProxyHeartbeats heartbeats;

	/**
	 * Edge node → when its heartbeat was last seen; the gauge's age keeps growing once it
	 * stops.
	 */
	private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();

	private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
		Thread t = new Thread(r, "edge-heartbeat-metrics");
		t.setDaemon(true);
		return t;
	});

	private volatile MeterRegistry registry;

	/** The newest call record seen by the ingest, or null before the first. */
	private volatile Instant newestRecord;

	SyncMetrics(JdbcTemplate jdbc, ProxyHeartbeats heartbeats) {
		this.jdbc = jdbc;
		this.heartbeats = heartbeats;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		FunctionTimer
			.builder("telpro.sync.duration", this, m -> m.runs("success")[0], m -> m.runs("success")[1],
					TimeUnit.MILLISECONDS)
			.description("successful syncs (Sync All to Redis) and their total duration")
			.register(registry);
		FunctionCounter.builder("telpro.sync.failures", this, m -> m.runs("failure")[0])
			.description("syncs that failed (the previous generation stayed live)")
			.register(registry);
		Gauge.builder("telpro.records.ingest.lag", this, SyncMetrics::ingestLagSeconds)
			.description("seconds since the newest call record the ingest has seen (NaN before the first)")
			.baseUnit("seconds")
			.register(registry);
		refresher.scheduleWithFixedDelay(this::refreshHeartbeats, 0, 5, TimeUnit.SECONDS);
	}

	@PreDestroy
	void stop() {
		refresher.shutdownNow();
	}

	/**
	 * Hook for the call-record ingest: the start time of the newest record it has stored.
	 */
	public void recordIngested(Instant recordTime) {
		Instant newest = newestRecord;
		if (newest == null || recordTime.isAfter(newest)) {
			newestRecord = recordTime;
		}
	}

	private double ingestLagSeconds() {
		Instant newest = newestRecord;
		return newest == null ? Double.NaN : Duration.between(newest, Instant.now()).toMillis() / 1000.0;
	}

	/**
	 * Last answer per outcome: a scrape while PostgreSQL is away repeats it (a counter
	 * never goes back).
	 */
	private final Map<String, long[]> lastRuns = new ConcurrentHashMap<>();

	/** {count, total ms} of the sync runs with this outcome. */
	private long[] runs(String outcome) {
		try {
			long[] now = jdbc.queryForObject(
					"select count(*), coalesce(sum(duration_ms), 0) from sync_run where outcome = ?",
					(rs, i) -> new long[] { rs.getLong(1), rs.getLong(2) }, outcome);
			lastRuns.put(outcome, now);
			return now;
		}
		catch (RuntimeException ex) {
			return lastRuns.getOrDefault(outcome, new long[] { 0, 0 });
		}
	}

	/** One gauge per edge that ever beat since this service started. */
	private void refreshHeartbeats() {
		MeterRegistry r = registry;
		List<ProxyHeartbeat> beats;
		try {
			beats = heartbeats.all();
		}
		catch (RuntimeException ex) {
			return;
		}
		for (ProxyHeartbeat beat : beats) {
			if (beat.node() == null || beat.seenAt() == null) {
				continue;
			}
			String node = beat.node();
			if (lastSeen.put(node, beat.seenAt()) == null && r != null) {
				Gauge
					.builder("telpro.edge.heartbeat.age", lastSeen,
							m -> Duration.between(m.get(node), Instant.now()).toMillis() / 1000.0)
					.tag("node", node)
					.description("seconds since the edge's last heartbeat, as read from Redis")
					.baseUnit("seconds")
					.register(r);
			}
		}
	}

}
