package com.telpro.control.trunk;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A trunk as the API returns it: its metadata and its {@link TrunkSpec} (whose {@code version} is
 * the current one), never the password, only whether one is stored.
 */
public record TrunkResponse(long id, @JsonUnwrapped TrunkSpec spec, boolean authPassSet, Instant createdAt,
		Instant updatedAt) {

	static TrunkResponse of(Trunk t) {
		return new TrunkResponse(t.getId(), t.spec(), t.isAuthPassSet(), t.getCreatedAt(), t.getUpdatedAt());
	}

	public String name() {
		return spec.name();
	}

	public long version() {
		return spec.version();
	}

}
