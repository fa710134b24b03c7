package com.telpro.control.security;

import java.time.Instant;
import java.util.Map;

/**
 * One audit row as the API and the Audit tab show it. Snapshots and diff are already
 * masked.
 */
public record AuditRecord(long id, Instant occurredAt, String actor, String remoteAddress, String action,
		String targetType, String targetId, Map<String, Object> before, Map<String, Object> after,
		Map<String, Object> diff) {

	static AuditRecord of(AuditEntry entry) {
		return new AuditRecord(entry.getId(), entry.getOccurredAt(), entry.getActor(), entry.getRemoteAddress(),
				entry.getAction(), entry.getTargetType(), entry.getTargetId(), entry.getBefore(), entry.getAfter(),
				entry.getDiff());
	}

}
