package com.telpro.control.security;

import java.time.Instant;

/**
 * An API token's metadata. {@code prefix} identifies it (the first characters); the token
 * itself is never shown again.
 */
public record TokenView(long id, long userId, String name, String prefix, Instant createdAt, Instant lastUsedAt,
		Instant revokedAt) {

	static TokenView of(ApiToken token) {
		return new TokenView(token.getId(), token.getUserId(), token.getName(), token.getTokenPrefix(),
				token.getCreatedAt(), token.getLastUsedAt(), token.getRevokedAt());
	}

	public boolean revoked() {
		return revokedAt != null;
	}

}
