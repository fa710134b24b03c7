package com.telpro.control.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the edges as the admin service sees them ({@code edgeHeartbeat}):
 * OUT_OF_SERVICE when no edge beats or one's heartbeat is stale, DOWN when Redis cannot
 * be read. It sits in the {@code edges} health group; the root health ranks
 * OUT_OF_SERVICE below UP (application.yml), so the admin service stays healthy for
 * compose while the edge it serves is still starting.
 */
@Component("edgeHeartbeat")
class EdgeHeartbeatHealthIndicator implements HealthIndicator {

	private final ProxyHeartbeats heartbeats;

	private final EdgeHealthProperties properties;

	private final Clock clock = Clock.systemUTC();

	EdgeHeartbeatHealthIndicator(ProxyHeartbeats heartbeats, EdgeHealthProperties properties) {
		this.heartbeats = heartbeats;
		this.properties = properties;
	}

	@Override
	public Health health() {
		List<ProxyHeartbeat> beats;
		try {
			beats = heartbeats.all();
		}
		catch (RuntimeException ex) {
			if (!RedisFailures.isRedisFailure(ex)) {
				throw ex;
			}
			return Health.down().withDetail("error", RedisFailures.describe(ex)).build();
		}
		if (beats.isEmpty()) {
			return Health.outOfService().withDetail("edges", "no edge heartbeat in Redis").build();
		}
		Instant now = clock.instant();
		Map<String, Object> ages = new LinkedHashMap<>();
		boolean stale = false;
		for (ProxyHeartbeat beat : beats) {
			Duration age = beat.seenAt() == null ? null : Duration.between(beat.seenAt(), now);
			boolean old = age == null || age.compareTo(properties.staleAfter()) > 0;
			stale |= old;
			ages.put(String.valueOf(beat.node()), Map.of("generation", beat.generation(), "heartbeat_age_seconds",
					age == null ? -1 : age.toSeconds(), "stale", old));
		}
		return (stale ? Health.outOfService() : Health.up()).withDetail("edges", ages).build();
	}

}
