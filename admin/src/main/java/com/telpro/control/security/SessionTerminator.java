package com.telpro.control.security;

import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.User;
import org.springframework.stereotype.Component;

/** Ends a user's web sessions, so a change to the account applies to the next click. */
@Component
class SessionTerminator {

	private final SessionRegistry registry;

	SessionTerminator(SessionRegistry registry) {
		this.registry = registry;
	}

	void endSessionsOf(String username) {
		// The registry keys sessions by principal; User equality is by username.
		Object principal = User.withUsername(username).password("").authorities("none").build();
		registry.getAllSessions(principal, false).forEach(SessionInformation::expireNow);
	}

}
