package com.telpro.control.config;

/**
 * A request that is well-formed but conflicts with the stored state (a duplicate name, a change
 * based on a stale version): 409. {@code field} names the offending request field, when there is
 * one; the message is shown to the client and must not carry a secret.
 */
public class ConflictException extends RuntimeException {

	private final String field;

	public ConflictException(String field, String message) {
		super(message, null, false, false);
		this.field = field;
	}

	/** The request property (Java name) at fault, or null. */
	public String field() {
		return field;
	}

}
