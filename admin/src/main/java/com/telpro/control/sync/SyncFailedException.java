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

	public String detail() {
		return getBody().getDetail();
	}

	private static ProblemDetail problem(String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
		problem.setTitle(title);
		return problem;
	}

}
