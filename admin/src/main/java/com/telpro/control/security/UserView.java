package com.telpro.control.security;

import java.time.Instant;

/** A user as the API and the Users tab show it: never the password hash. */
public record UserView(long id, String username, Role role, boolean enabled, Instant createdAt, Instant updatedAt) {

	static UserView of(AppUser user) {
		return new UserView(user.getId(), user.getUsername(), user.getRole(), user.isEnabled(), user.getCreatedAt(),
				user.getUpdatedAt());
	}

}
