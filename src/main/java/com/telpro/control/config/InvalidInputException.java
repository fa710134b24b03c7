package com.telpro.control.config;

import org.springframework.validation.Errors;

/**
 * Input rejected by a service's validation, with one error per offending field: 400 on the API,
 * messages beside the fields on a form. Thrown before anything is written.
 */
public class InvalidInputException extends RuntimeException {

	private final transient Errors errors;

	public InvalidInputException(Errors errors) {
		super(errors.getErrorCount() + " invalid field(s) in " + errors.getObjectName(), null, false, false);
		this.errors = errors;
	}

	public Errors errors() {
		return errors;
	}

}
