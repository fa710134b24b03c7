package com.telpro.control.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.contract.RedisContract;
import com.telpro.control.common.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/** The heartbeats of the proxies alive now, found with SCAN (never KEYS). */
@Component
class ProxyHeartbeats {

	private static final Logger log = LoggerFactory.getLogger(ProxyHeartbeats.class);

	private final StringRedisTemplate redis;

	private final ObjectMapper json;

	ProxyHeartbeats(StringRedisTemplate redis, ObjectMapper objectMapper) {
		this.redis = redis;
		// Written by Kamailio: read what we know, tolerate what a newer proxy adds.
		this.json = objectMapper.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
	}

	List<ProxyHeartbeat> all() {
		List<String> keys = new ArrayList<>();
		ScanOptions options = ScanOptions.scanOptions().match(RedisContract.PROXY_PATTERN).count(100).build();
		try (Cursor<String> cursor = redis.scan(options)) {
			cursor.forEachRemaining(keys::add);
		}
		if (keys.isEmpty()) {
			return List.of();
		}
		List<String> values = redis.opsForValue().multiGet(keys);
		List<ProxyHeartbeat> heartbeats = new ArrayList<>();
		for (int i = 0; i < keys.size(); i++) {
			String value = values == null ? null : values.get(i);
			if (value == null) {
				continue; // expired between SCAN and MGET
			}
			try {
				heartbeats.add(json.readValue(value, ProxyHeartbeat.class));
			}
			catch (Exception ex) {
				log.warn("Unreadable proxy heartbeat {}: {}", LogSafe.of(keys.get(i)), LogSafe.of(ex.getMessage()));
			}
		}
		heartbeats.sort(Comparator.comparing(ProxyHeartbeat::node, Comparator.nullsLast(Comparator.naturalOrder())));
		return heartbeats;
	}

}
