package com.telpro.control.security;

import java.time.Instant;

/**
 * Which audit rows to show; every field is optional. {@code from} is inclusive,
 * {@code to} exclusive.
 */
public record AuditFilter(String actor, String action, String targetType, String targetId, Instant from, Instant to) {

	public static AuditFilter none() {
		return new AuditFilter(null, null, null, null, null, null);
	}

}
