package com.telpro.control.secret;

/** No platform secret with that id: answered 404. */
public class SecretNotFoundException extends RuntimeException {

	public SecretNotFoundException(long id) {
		super("No platform secret with id " + id);
	}

}
