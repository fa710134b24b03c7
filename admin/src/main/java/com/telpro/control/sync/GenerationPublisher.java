package com.telpro.control.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.contract.RedisContract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.stereotype.Component;

/**
 * Writes a generation exactly as the contract's four steps say, and reads the live one
 * back. A reader follows the pointer to one complete value, so it never sees half a sync;
 * a failure before the switch leaves the previous generation in force and the orphan
 * document expires on its own.
 */
@Component
class GenerationPublisher {

	private static final Logger log = LoggerFactory.getLogger(GenerationPublisher.class);

	private static final int SWITCH_ATTEMPTS = 5;

	/**
	 * Enough for {"content_hash":…,"generation":…,"layout":…,"published_at":…, of any
	 * document.
	 */
	private static final int HEAD_BYTES = 256;

	private volatile ReadLive lastRead;

	private final StringRedisTemplate redis;

	private final ObjectMapper json = new ObjectMapper();

	GenerationPublisher(StringRedisTemplate redis) {
		this.redis = redis;
	}

	PublishedGeneration publish(GenerationDocument document, Instant publishedAt) {
		return publish(document, publishedAt, () -> {
		});
	}

	/**
	 * @param beforeSwitch runs between writing the document and switching to it (tests
	 * break things there)
	 */
	PublishedGeneration publish(GenerationDocument document, Instant publishedAt, Runnable beforeSwitch) {
		Long allocated = redis.opsForValue().increment(RedisContract.GENERATION_SEQ);
		long generation = allocated;
		byte[] value = document.toJson(generation, publishedAt);
		byte[] key = RedisContract.document(generation).getBytes(StandardCharsets.UTF_8);
		redis.execute((RedisCallback<Boolean>) connection -> connection.stringCommands()
			.set(key, value, Expiration.from(RedisContract.UNPUBLISHED_DOCUMENT_TTL), SetOption.upsert()));
		beforeSwitch.run();
		Long previous = switchTo(generation);
		try {
			redis.convertAndSend(RedisContract.EVENTS, RedisContract.generationEvent(generation));
		}
		catch (DataAccessException ex) {
			// The switch is done and is the truth; the event is only a hint to listeners.
			log.warn("Generation {} is live but its event was not published: {}", generation, ex.getMessage());
		}
		return new PublishedGeneration(generation, previous, value.length);
	}

	/**
	 * {@code MULTI; SET generation G; PERSIST gen:G; EXPIRE gen:<previous> 120; EXEC},
	 * under WATCH of the pointer so the previous generation read is the one replaced, and
	 * an older sync of another instance can never switch back over a newer one.
	 */
	private Long switchTo(long generation) {
		return redis.execute(new SessionCallback<Long>() {

			@Override
			@SuppressWarnings({ "unchecked", "rawtypes" })
			public Long execute(RedisOperations operations) {
				for (int attempt = 1; attempt <= SWITCH_ATTEMPTS; attempt++) {
					operations.watch(RedisContract.GENERATION);
					Object current = operations.opsForValue().get(RedisContract.GENERATION);
					Long previous = current == null ? null : Long.valueOf(current.toString());
					if (previous != null && previous >= generation) {
						operations.unwatch();
						throw new GenerationSupersededException(generation, previous);
					}
					operations.multi();
					operations.opsForValue().set(RedisContract.GENERATION, Long.toString(generation));
					operations.persist(RedisContract.document(generation));
					if (previous != null) {
						operations.expire(RedisContract.document(previous), RedisContract.PREVIOUS_DOCUMENT_TTL);
					}
					List<Object> results = operations.exec();
					if (results != null && !results.isEmpty()) {
						return previous;
					}
				}
				throw new GenerationSupersededException(generation, null);
			}

		});
	}

	/**
	 * The generation the pointer names, or null when nothing was ever published. The
	 * document is read and parsed again only when it is not the one read last time: at
	 * 10,000 trunks it is ~8 MB, and the drift view asks for it on every look. "The same"
	 * is the same generation with the same first {@value #HEAD_BYTES} bytes, which hold
	 * its content hash and publication time (the contract writes them first), so a Redis
	 * reseeded under a reused number is read again.
	 */
	LiveGeneration live() {
		String pointer = redis.opsForValue().get(RedisContract.GENERATION);
		if (pointer == null) {
			return null;
		}
		long generation = Long.parseLong(pointer);
		String key = RedisContract.document(generation);
		String head = redis.opsForValue().get(key, 0, HEAD_BYTES - 1);
		ReadLive last = lastRead;
		if (head != null && !head.isEmpty() && last != null && last.generation() == generation
				&& last.head().equals(head)) {
			return last.live();
		}
		String value = redis.opsForValue().get(key);
		if (value == null) {
			log.warn("The live generation {} has no document in Redis", generation);
			return new LiveGeneration(generation, null, null, Map.of());
		}
		LiveGeneration live = parse(generation, value);
		lastRead = new ReadLive(generation, value.substring(0, Math.min(value.length(), HEAD_BYTES)), live);
		return live;
	}

	private LiveGeneration parse(long generation, String value) {
		try {
			JsonNode root = json.readTree(value);
			Map<Long, String> hashes = new HashMap<>();
			for (JsonNode trunk : root.path("trunks")) {
				hashes.put(trunk.path("id").asLong(), trunk.path("hash").asText());
			}
			String publishedAt = root.path("published_at").asText(null);
			return new LiveGeneration(generation, publishedAt == null ? null : Instant.parse(publishedAt),
					root.path("content_hash").asText(null), Map.copyOf(hashes));
		}
		catch (IOException | RuntimeException ex) {
			log.warn("The live generation {} is not a readable document: {}", generation, ex.getMessage());
			return new LiveGeneration(generation, null, null, Map.of());
		}
	}

	/**
	 * The live generation as read last, with the head of its document it was recognised
	 * by.
	 */
	private record ReadLive(long generation, String head, LiveGeneration live) {
	}

	record PublishedGeneration(long generation, Long previous, int bytes) {
	}

	/**
	 * @param publishedAt null when the document is missing or unreadable
	 * @param trunkHashes trunk id → its published hash
	 */
	record LiveGeneration(long generation, Instant publishedAt, String contentHash, Map<Long, String> trunkHashes) {
	}

	static final class GenerationSupersededException extends RuntimeException {

		GenerationSupersededException(long generation, Long newer) {
			super(newer == null ? "generation " + generation + " could not be switched to: the pointer kept changing"
					: "generation " + newer + " was published meanwhile; generation " + generation
							+ " was not switched to");
		}

	}

}
