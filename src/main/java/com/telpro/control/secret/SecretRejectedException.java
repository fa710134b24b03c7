package com.telpro.control.secret;

import java.util.List;

/** An upload that breaks a rule: answered 400 with field errors, nothing is stored. */
public class SecretRejectedException extends RuntimeException {

	private final List<FieldProblem> problems;

	public SecretRejectedException(List<FieldProblem> problems) {
		super("Platform secret rejected: " + problems);
		this.problems = List.copyOf(problems);
	}

	public SecretRejectedException(String field, String message) {
		this(List.of(new FieldProblem(field, message)));
	}

	public List<FieldProblem> problems() {
		return problems;
	}

}
