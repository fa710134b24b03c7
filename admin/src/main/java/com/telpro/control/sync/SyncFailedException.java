package com.telpro.control.sync;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Redis could not be written or read: nothing in PostgreSQL was changed and the previous
 * generation is still live. The API answers 503 problem details; the admin page shows
 * {@link #detail()}.
 */
public class SyncFailedException extends ErrorResponseException {

	SyncFailedException(String title, String detail, Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, problem(title, detail), cause);
	}

	/**
	 * {@code ex} as this refusal when it is a Redis failure (503, its cause described),
	 * else {@code ex} itself, for a feature writing Redis to throw.
	 */
	public static RuntimeException ifRedis(String title, RuntimeException ex) {
		return RedisFailures.isRedisFailure(ex) ? new SyncFailedException(title, RedisFailures.describe(ex), ex) : ex;
	}

	public String detail() {
		return getBody().getDetail();
	}

	private static ProblemDetail problem(String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
		problem.setTitle(title);
		return problem;
	}

}
