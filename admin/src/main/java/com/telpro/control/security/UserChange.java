package com.telpro.control.security;

/** A change to a user; a null field stays as it is. */
public record UserChange(Role role, Boolean enabled, String password) {

	@Override
	public String toString() {
		return "UserChange[role=" + role + ", enabled=" + enabled + "]";
	}

}
