package com.telpro.control.config;

import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;

/**
 * Input rejected by a service's validation, with one error per offending field: 400 on
 * the API, messages beside the fields on a form. Thrown before anything is written.
 */
public class InvalidInputException extends ProblemException {

	private final transient Errors errors;

	public InvalidInputException(Errors errors) {
		this(problemsOf(errors), errors);
	}

	public InvalidInputException(List<FieldProblem> problems) {
		this(problems, null);
	}

	public InvalidInputException(String field, String message) {
		this(List.of(new FieldProblem(field, message)));
	}

	private InvalidInputException(List<FieldProblem> problems, Errors errors) {
		super(HttpStatus.BAD_REQUEST, "Invalid input",
				problems.size() == 1 ? "1 field is invalid." : problems.size() + " fields are invalid.", problems);
		this.errors = errors;
	}

	/**
	 * The binding errors with Java field names, for a form to show beside its fields;
	 * null when built from problems.
	 */
	public Errors errors() {
		return errors;
	}

	static List<FieldProblem> problemsOf(Errors errors) {
		List<FieldProblem> problems = new ArrayList<>();
		for (FieldError error : errors.getFieldErrors()) {
			problems.add(new FieldProblem(FieldProblem.jsonName(error.getField()), error.getDefaultMessage()));
		}
		errors.getGlobalErrors().forEach(error -> problems.add(new FieldProblem(null, error.getDefaultMessage())));
		return problems;
	}

}
