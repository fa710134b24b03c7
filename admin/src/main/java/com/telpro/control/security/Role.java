package com.telpro.control.security;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a user may do: {@code admin} edits, syncs and manages secrets; {@code viewer} only
 * reads.
 */
public enum Role {

	ADMIN, VIEWER;

	/** The Spring Security authority, as {@code hasRole('ADMIN')} expects it. */
	public String authority() {
		return "ROLE_" + name();
	}

	@JsonValue
	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

	@JsonCreator
	public static Role fromWire(String value) {
		for (Role role : values()) {
			if (role.wire().equals(value)) {
				return role;
			}
		}
		throw new IllegalArgumentException("must be one of admin, viewer");
	}

}
