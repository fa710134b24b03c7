package com.telpro.control.trunk;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A trunk as the API returns it: its metadata and its {@link TrunkSpec} (whose
 * {@code version} is the current one), never the password, only whether one is stored.
 */
public record TrunkResponse(long id, @JsonUnwrapped TrunkSpec spec, boolean authPassSet, Instant createdAt,
		Instant updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(accessMode = Schema.AccessMode.READ_ONLY,
				description = "live calls and calls per second from the edges (GET /api/trunks/{id} only)") TrunkLoad load) {

	static TrunkResponse of(Trunk t) {
		return new TrunkResponse(t.getId(), t.spec(), t.isAuthPassSet(), t.getCreatedAt(), t.getUpdatedAt(), null);
	}

	/** This trunk with its live figures. */
	public TrunkResponse withLoad(TrunkLoad value) {
		return new TrunkResponse(id, spec, authPassSet, createdAt, updatedAt, value);
	}

	public String name() {
		return spec.name();
	}

	public long version() {
		return spec.version();
	}

}
