package com.telpro.control.sync;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.telpro.contract.RedisContract;
import com.telpro.control.trunk.TrunkRepository;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * Pre-creates the single-use X-Call-IDs a {@code requires_x_call} trunk must present:
 * Kamailio consumes one with {@code DEL} within two minutes. Not audited: one is created
 * per call.
 */
@Service
class XCallService {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final StringRedisTemplate redis;

	private final TrunkRepository trunks;

	private final SyncMetrics metrics;

	XCallService(StringRedisTemplate redis, TrunkRepository trunks, SyncMetrics metrics) {
		this.redis = redis;
		this.trunks = trunks;
		this.metrics = metrics;
	}

	/**
	 * @param trunk the trunk the call is for, or null for any X-Call trunk
	 * @throws UnknownTrunkException when {@code trunk} names no trunk
	 * @throws SyncFailedException when Redis cannot store it
	 */
	XCall create(String trunk) {
		if (trunk != null && !trunks.existsByName(trunk)) {
			throw new UnknownTrunkException();
		}
		byte[] random = new byte[16];
		RANDOM.nextBytes(random);
		String id = HexFormat.of().formatHex(random);
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("created_at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
		value.put("trunk", trunk);
		try {
			redis.opsForValue()
				.set(RedisContract.xCall(id), new String(CanonicalJson.write(value), StandardCharsets.UTF_8),
						RedisContract.X_CALL_TTL);
		}
		catch (RuntimeException ex) {
			if (!RedisFailures.isRedisFailure(ex)) {
				throw ex;
			}
			throw new SyncFailedException("X-Call not created", RedisFailures.describe(ex), ex);
		}
		metrics.xCallCreated();
		return new XCall(id, RedisContract.X_CALL_TTL.toSeconds());
	}

	record XCall(String id, long expiresIn) {
	}

	static final class UnknownTrunkException extends RuntimeException {

		UnknownTrunkException() {
			super("no trunk has this name");
		}

	}

}
