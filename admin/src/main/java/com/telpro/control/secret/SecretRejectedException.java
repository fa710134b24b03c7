package com.telpro.control.secret;

import java.util.List;

import com.telpro.control.config.FieldProblem;
import com.telpro.control.config.InvalidInputException;

/**
 * An upload that breaks a rule: answered 400 with field errors, nothing is stored. No
 * message quotes the upload.
 */
public class SecretRejectedException extends InvalidInputException {

	public SecretRejectedException(List<FieldProblem> problems) {
		super(problems);
	}

	public SecretRejectedException(String field, String message) {
		super(field, message);
	}

}
