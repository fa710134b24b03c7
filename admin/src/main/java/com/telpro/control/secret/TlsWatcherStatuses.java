package com.telpro.control.secret;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.contract.RedisContract;
import com.telpro.control.common.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the TLS watchers' status keys (SCAN, never KEYS) against the published CA bundle
 * hash.
 */
@Component
public class TlsWatcherStatuses {

	private static final Logger log = LoggerFactory.getLogger(TlsWatcherStatuses.class);

	private final StringRedisTemplate redis;

	private final ObjectMapper json = new ObjectMapper();

	TlsWatcherStatuses(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** Never throws for a Redis failure: the status is then "unavailable". */
	public TlsEdgeStatus status() {
		try {
			String published = redis.opsForValue().get(RedisContract.TLS_CA_BUNDLE_SHA256);
			List<String> keys = new ArrayList<>();
			ScanOptions options = ScanOptions.scanOptions()
				.match(RedisContract.TLS_WATCHER_PREFIX + "*")
				.count(100)
				.build();
			try (Cursor<String> cursor = redis.scan(options)) {
				cursor.forEachRemaining(keys::add);
			}
			List<String> values = keys.isEmpty() ? List.of() : redis.opsForValue().multiGet(keys);
			List<TlsEdgeStatus.Watcher> watchers = new ArrayList<>();
			for (int i = 0; values != null && i < values.size(); i++) {
				if (values.get(i) != null) {
					watcher(values.get(i), published, keys.get(i)).ifPresent(watchers::add);
				}
			}
			watchers.sort(Comparator.comparing(TlsEdgeStatus.Watcher::node));
			return new TlsEdgeStatus(true, published, List.copyOf(watchers));
		}
		catch (DataAccessException ex) {
			log.warn("TLS watcher status unknown: {}", LogSafe.of(ex.getMessage()));
			return TlsEdgeStatus.unavailable();
		}
	}

	private java.util.Optional<TlsEdgeStatus.Watcher> watcher(String value, String published, String key) {
		try {
			JsonNode node = json.readTree(value);
			String applied = node.path("applied_sha256").asText(null);
			return java.util.Optional
				.of(new TlsEdgeStatus.Watcher(node.path("node").asText(""), applied, node.path("outcome").asText(""),
						node.path("message").asText(""), instant(node.path("reloaded_at").asText(null)),
						instant(node.path("seen_at").asText(null)), published != null && published.equals(applied)));
		}
		catch (Exception ex) {
			log.warn("Unreadable TLS watcher status {}: {}", LogSafe.of(key), LogSafe.of(ex.getMessage()));
			return java.util.Optional.empty();
		}
	}

	private static Instant instant(String text) {
		try {
			return text == null ? null : Instant.parse(text);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
