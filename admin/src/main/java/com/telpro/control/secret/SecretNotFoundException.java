package com.telpro.control.secret;

import com.telpro.control.config.NotFoundException;

/** No platform secret with that id: answered 404. */
public class SecretNotFoundException extends NotFoundException {

	public SecretNotFoundException(long id) {
		super("platform secret", id);
	}

}
