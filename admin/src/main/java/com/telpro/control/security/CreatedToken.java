package com.telpro.control.security;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A token just created: the only time its value is visible. Send it as
 * {@code Authorization: Bearer <token>}, or as the password of HTTP Basic.
 */
public record CreatedToken(@JsonUnwrapped TokenView metadata, String token) {

	@Override
	public String toString() {
		return "CreatedToken[" + metadata + "]";
	}

}
