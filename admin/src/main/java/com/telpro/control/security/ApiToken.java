package com.telpro.control.security;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A bearer token of one user. Only the SHA-256 of the token is stored (the token is 256
 * random bits, so a fast hash is enough and lets a request find it by hash); the
 * plaintext is shown once.
 */
@Entity
@Table(name = "api_token")
class ApiToken {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private Long userId;

	private String name;

	private String tokenHash;

	private String tokenPrefix;

	private Instant createdAt;

	private Instant lastUsedAt;

	private Instant revokedAt;

	protected ApiToken() {
	}

	ApiToken(Long userId, String name, String tokenHash, String tokenPrefix, Instant createdAt) {
		this.userId = userId;
		this.name = name;
		this.tokenHash = tokenHash;
		this.tokenPrefix = tokenPrefix;
		this.createdAt = createdAt;
	}

	Long getId() {
		return id;
	}

	Long getUserId() {
		return userId;
	}

	String getName() {
		return name;
	}

	String getTokenHash() {
		return tokenHash;
	}

	String getTokenPrefix() {
		return tokenPrefix;
	}

	Instant getCreatedAt() {
		return createdAt;
	}

	Instant getLastUsedAt() {
		return lastUsedAt;
	}

	void setLastUsedAt(Instant lastUsedAt) {
		this.lastUsedAt = lastUsedAt;
	}

	Instant getRevokedAt() {
		return revokedAt;
	}

	boolean isRevoked() {
		return revokedAt != null;
	}

	void revoke(Instant at) {
		this.revokedAt = at;
	}

	@Override
	public String toString() {
		return "ApiToken[id=" + id + ", userId=" + userId + ", prefix=" + tokenPrefix + "]";
	}

}
