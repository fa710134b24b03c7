package com.telpro.control.security;

import java.util.Map;

/**
 * Published (ApplicationEventPublisher) by every service that changes state, inside its
 * transaction; the audit log records it with who and from where. The snapshots must
 * already have secrets masked: the publisher knows which of its fields are secret.
 *
 * @param action e.g. {@code trunk.create}, {@code trunk.update}, {@code trunk.delete},
 * {@code trunk.enable}, {@code trunk.disable}, {@code sync.publish},
 * {@code secret.upload}
 * @param targetType e.g. {@code trunk}
 * @param targetId the target's id or name, null when there is none
 * @param before state before the change, null on create
 * @param after state after the change, null on delete
 */
public record AuditableChange(String action, String targetType, String targetId, Map<String, Object> before,
		Map<String, Object> after) {
}
