package com.telpro.control.sync;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.telpro.contract.RedisContract;
import com.telpro.control.common.LogSafe;
import com.telpro.control.trunk.TrunkLoad;
import com.telpro.control.trunk.TrunkLoadLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the edges' call-limit keys (REDIS-CONTRACT.md, "Call limits"). Times are Redis's
 * clock ({@code TIME}), the one the edges' scripts score with. Never throws for a Redis
 * failure.
 */
@Component
class RedisTrunkLoads implements TrunkLoadLookup {

	private static final Logger log = LoggerFactory.getLogger(RedisTrunkLoads.class);

	private final StringRedisTemplate redis;

	RedisTrunkLoads(StringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	public TrunkLoad load(long trunkId, int maxConcurrentCalls, int maxCallsPerSecond) {
		try {
			long now = redisNow();
			Set<String> calls = redis.opsForZSet()
				.rangeByScore(RedisContract.limitCalls(trunkId), now + 1, Double.POSITIVE_INFINITY);
			Set<String> recent = redis.opsForZSet().rangeByScore(RedisContract.limitCps(trunkId), now - 1000, now);
			Set<String> edges = redis.opsForZSet()
				.rangeByScore(RedisContract.LIMITS_EDGES, now + 1, Double.POSITIVE_INFINITY);
			Map<String, long[]> byEdge = new TreeMap<>();
			if (edges != null) {
				edges.forEach(node -> byEdge.put(node, new long[2]));
			}
			count(calls, byEdge, 0);
			count(recent, byEdge, 1);
			List<TrunkLoad.Edge> perEdge = new ArrayList<>();
			byEdge.forEach((node, n) -> perEdge.add(new TrunkLoad.Edge(node, n[0], n[1])));
			return new TrunkLoad(true, calls == null ? 0 : calls.size(), maxConcurrentCalls,
					recent == null ? 0 : recent.size(), maxCallsPerSecond, List.copyOf(perEdge));
		}
		catch (DataAccessException ex) {
			log.warn("Trunk {} load unknown: {}", trunkId, LogSafe.of(ex.getMessage()));
			return TrunkLoad.unavailable(maxConcurrentCalls, maxCallsPerSecond);
		}
	}

	/** Members are {@code <node>/<md5 of Call-ID>}. */
	private static void count(Set<String> members, Map<String, long[]> byEdge, int slot) {
		if (members == null) {
			return;
		}
		for (String member : members) {
			int slash = member.lastIndexOf('/');
			String node = slash < 0 ? "" : member.substring(0, slash);
			byEdge.computeIfAbsent(node, n -> new long[2])[slot]++;
		}
	}

	@Override
	public Map<Long, long[]> totals(Collection<Long> trunkIds) {
		if (trunkIds.isEmpty()) {
			return Map.of();
		}
		try {
			long now = redisNow();
			List<Long> ids = List.copyOf(trunkIds);
			List<Object> counts = redis.executePipelined((RedisCallback<Object>) connection -> {
				for (long id : ids) {
					zcount(connection, RedisContract.limitCalls(id), now + 1, Double.POSITIVE_INFINITY);
					zcount(connection, RedisContract.limitCps(id), now - 1000, now);
				}
				return null;
			});
			Map<Long, long[]> totals = new HashMap<>();
			for (int i = 0; i < ids.size(); i++) {
				totals.put(ids.get(i), new long[] { number(counts.get(2 * i)), number(counts.get(2 * i + 1)) });
			}
			return totals;
		}
		catch (DataAccessException ex) {
			log.warn("Trunk loads unknown: {}", LogSafe.of(ex.getMessage()));
			return Map.of();
		}
	}

	private static void zcount(RedisConnection connection, String key, double min, double max) {
		connection.zSetCommands().zCount(key.getBytes(StandardCharsets.UTF_8), min, max);
	}

	private static long number(Object value) {
		return value instanceof Number n ? n.longValue() : 0;
	}

	private long redisNow() {
		Long now = redis.execute((RedisCallback<Long>) RedisConnection::time);
		if (now == null) {
			throw new org.springframework.dao.DataRetrievalFailureException("no answer to TIME");
		}
		return now;
	}

}
