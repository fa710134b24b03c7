package com.telpro.control.security;

import java.util.List;

import com.telpro.control.config.FieldProblem;
import com.telpro.control.config.ProblemException;
import org.springframework.http.HttpStatus;

/**
 * A refused user or token operation, reported like every other refusal (problem details
 * with the {@code errors} list when one field is at fault). The admin pages show
 * {@link #getMessage()}.
 */
public class UserProblem extends ProblemException {

	private UserProblem(HttpStatus status, String title, String field, String message) {
		super(status, title, message, field == null ? List.of() : List.of(new FieldProblem(field, message)));
	}

	static UserProblem invalid(String field, String message) {
		return new UserProblem(HttpStatus.BAD_REQUEST, "Invalid input", field, message);
	}

	static UserProblem conflict(String field, String message) {
		return new UserProblem(HttpStatus.CONFLICT, "Conflict", field, message);
	}

	static UserProblem notFound(String what) {
		return new UserProblem(HttpStatus.NOT_FOUND, "Not found", null, what + " not found");
	}

}
