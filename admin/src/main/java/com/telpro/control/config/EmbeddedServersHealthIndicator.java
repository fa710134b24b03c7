package com.telpro.control.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Health component {@code embeddedServers}: whether the embedded PostgreSQL and Redis of
 * this data folder run, how often the supervisor started them again and the last failure.
 * DOWN while one that should run is down (the supervisor is then retrying with backoff).
 * With external servers it reports UP with nothing embedded. Not part of the readiness
 * group: the admin pages keep working without Redis, and the supervisor, not an
 * orchestrator restart, is the cure.
 */
@Component
class EmbeddedServersHealthIndicator extends AbstractHealthIndicator {

	private final EmbeddedProperties properties;

	EmbeddedServersHealthIndicator(EmbeddedProperties properties) {
		super("Embedded servers health check failed");
		this.properties = properties;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		EmbeddedServers servers = EmbeddedServers.existing(properties.dataDir()).orElse(null);
		if (servers == null) {
			builder.up().withDetail("embedded", "none (external PostgreSQL and Redis)");
			return;
		}
		boolean down = false;
		for (EmbeddedServers.Supervised.Snapshot server : new EmbeddedServers.Supervised.Snapshot[] {
				servers.postgresHealth(), servers.redisHealth() }) {
			if (server == null) {
				continue;
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("state", server.state());
			details.put("address", "127.0.0.1:" + server.port());
			details.put("restarts", server.restarts());
			if (server.lastRestart() != null) {
				details.put("last_restart", server.lastRestart().toString());
			}
			if (server.lastError() != null) {
				details.put("last_error", server.lastError());
			}
			builder.withDetail(server.name().toLowerCase(Locale.ROOT), details);
			down |= "DOWN".equals(server.state());
		}
		builder.withDetail("data_dir", servers.dataDir().toString());
		if (down) {
			builder.down();
		}
		else {
			builder.up();
		}
	}

}
