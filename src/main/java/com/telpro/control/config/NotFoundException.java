package com.telpro.control.config;

/** A request names something that does not exist: 404. */
public class NotFoundException extends RuntimeException {

	public NotFoundException(String what, Object id) {
		super("No " + what + " with id " + id, null, false, false);
	}

}
