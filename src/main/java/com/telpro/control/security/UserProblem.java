package com.telpro.control.security;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A refused user or token operation, rendered as RFC 9457 problem details (with the house
 * {@code errors} list when one field is at fault). The admin pages show {@link #getMessage()}.
 */
public class UserProblem extends ErrorResponseException {

	private final String message;

	private UserProblem(HttpStatus status, String field, String message) {
		super(status, problem(status, field, message), null);
		this.message = message;
	}

	private static ProblemDetail problem(HttpStatus status, String field, String message) {
		ProblemDetail detail = ProblemDetail.forStatusAndDetail(status, message);
		if (field != null) {
			detail.setProperty("errors", List.of(Map.of("field", field, "message", message)));
		}
		return detail;
	}

	static UserProblem invalid(String field, String message) {
		return new UserProblem(HttpStatus.BAD_REQUEST, field, message);
	}

	static UserProblem conflict(String field, String message) {
		return new UserProblem(HttpStatus.CONFLICT, field, message);
	}

	static UserProblem notFound(String what) {
		return new UserProblem(HttpStatus.NOT_FOUND, null, what + " not found");
	}

	@Override
	public String getMessage() {
		return message;
	}

}
