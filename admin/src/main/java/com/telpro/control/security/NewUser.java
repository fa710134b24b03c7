package com.telpro.control.security;

/** What creating a user takes. */
public record NewUser(String username, String password, Role role) {

	@Override
	public String toString() {
		return "NewUser[username=" + username + ", role=" + role + "]";
	}

}
