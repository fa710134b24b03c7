package com.telpro.control.xcall;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.contract.RedisContract;
import com.telpro.control.config.InvalidInputException;
import com.telpro.control.sync.SyncFailedException;
import com.telpro.control.trunk.TrunkRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * Pre-creates the single-use X-Call-IDs a {@code requires_x_call} trunk must present:
 * Kamailio consumes one with {@code DEL} within two minutes (kamailio/REDIS-CONTRACT.md).
 * Not audited: one is created per call.
 */
@Service
class XCallService {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final StringRedisTemplate redis;

	private final TrunkRepository trunks;

	private final ObjectMapper json;

	private final Counter issued;

	XCallService(StringRedisTemplate redis, TrunkRepository trunks, ObjectMapper json, MeterRegistry registry) {
		this.redis = redis;
		this.trunks = trunks;
		this.json = json;
		this.issued = Counter.builder("telpro.xcalls.issued").description("X-Call ids created").register(registry);
	}

	/**
	 * @param trunk the trunk the call is for, or null for any X-Call trunk
	 * @throws InvalidInputException when {@code trunk} names no trunk
	 * @throws SyncFailedException when Redis cannot store it
	 */
	XCall create(String trunk) {
		if (trunk != null && !trunks.existsByName(trunk)) {
			throw new InvalidInputException("trunk", "no trunk has this name");
		}
		byte[] random = new byte[16];
		RANDOM.nextBytes(random);
		String id = HexFormat.of().formatHex(random);
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("created_at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
		value.put("trunk", trunk);
		try {
			redis.opsForValue().set(RedisContract.xCall(id), json.writeValueAsString(value), RedisContract.X_CALL_TTL);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
		catch (RuntimeException ex) {
			throw SyncFailedException.ifRedis("X-Call not created", ex);
		}
		issued.increment();
		return new XCall(id, RedisContract.X_CALL_TTL.toSeconds());
	}

	record XCall(String id, long expiresIn) {
	}

}
