package com.telpro.control.config;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * A request that is well-formed but conflicts with the stored state (a duplicate name, a
 * change based on a stale version, a secret still in use): 409. {@code field} names the
 * offending request field, when there is one; the message is shown to the client and must
 * not carry a secret.
 */
public class ConflictException extends ProblemException {

	private final String field;

	public ConflictException(String field, String message) {
		super(HttpStatus.CONFLICT, "Conflict", message,
				field == null ? List.of() : List.of(new FieldProblem(FieldProblem.jsonName(field), message)));
		this.field = field;
	}

	/** The request property (Java name) at fault, or null. */
	public String field() {
		return field;
	}

}
