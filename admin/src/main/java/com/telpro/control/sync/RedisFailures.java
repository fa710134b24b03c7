package com.telpro.control.sync;

import com.telpro.control.common.LogSafe;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * Says what went wrong with Redis in words an operator can act on, without a stack trace.
 */
final class RedisFailures {

	private RedisFailures() {
	}

	static boolean isRedisFailure(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof io.lettuce.core.RedisException
					|| t instanceof org.springframework.data.redis.RedisSystemException
					|| t instanceof RedisConnectionFailureException || t instanceof QueryTimeoutException
					|| t instanceof GenerationPublisher.GenerationSupersededException) {
				return true;
			}
		}
		return false;
	}

	static String describe(Throwable ex) {
		String reason = deepestMessage(ex);
		if (ex instanceof GenerationPublisher.GenerationSupersededException) {
			return "Not published: " + reason;
		}
		return (unreachable(ex) ? "Redis unreachable: " : "Redis error: ") + reason;
	}

	private static boolean unreachable(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof RedisConnectionFailureException || t instanceof QueryTimeoutException
					|| t instanceof RedisConnectionException || t instanceof RedisCommandTimeoutException
					|| (t.getMessage() != null && t.getMessage().contains("not connected"))) {
				return true;
			}
		}
		return false;
	}

	private static String deepestMessage(Throwable ex) {
		String message = null;
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t.getMessage() != null && !t.getMessage().isBlank()) {
				message = t.getMessage();
			}
		}
		return LogSafe.of(message == null ? ex.getClass().getSimpleName() : message);
	}

}
