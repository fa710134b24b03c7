package com.telpro.control.config;

import java.util.List;

import org.springframework.http.HttpStatus;

/** A request names something that does not exist: 404. */
public class NotFoundException extends ProblemException {

	public NotFoundException(String what, Object id) {
		super(HttpStatus.NOT_FOUND, "Not found", "No " + what + " with id " + id, List.of());
	}

}
