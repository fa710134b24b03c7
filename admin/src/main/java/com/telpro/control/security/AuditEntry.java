package com.telpro.control.security;

import java.time.Instant;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One row of the audit log. Immutable: written once, never updated (the table refuses it
 * too).
 */
@Entity
@Immutable
@Table(name = "audit_log")
class AuditEntry {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private Instant occurredAt;

	private String actor;

	private String remoteAddress;

	private String action;

	private String targetType;

	private String targetId;

	@JdbcTypeCode(SqlTypes.JSON)
	@Column(name = "before")
	private Map<String, Object> before;

	@JdbcTypeCode(SqlTypes.JSON)
	@Column(name = "after")
	private Map<String, Object> after;

	@JdbcTypeCode(SqlTypes.JSON)
	private Map<String, Object> diff;

	protected AuditEntry() {
	}

	AuditEntry(Instant occurredAt, String actor, String remoteAddress, String action, String targetType,
			String targetId, Map<String, Object> before, Map<String, Object> after, Map<String, Object> diff) {
		this.occurredAt = occurredAt;
		this.actor = actor;
		this.remoteAddress = remoteAddress;
		this.action = action;
		this.targetType = targetType;
		this.targetId = targetId;
		this.before = before;
		this.after = after;
		this.diff = diff;
	}

	Long getId() {
		return id;
	}

	Instant getOccurredAt() {
		return occurredAt;
	}

	String getActor() {
		return actor;
	}

	String getRemoteAddress() {
		return remoteAddress;
	}

	String getAction() {
		return action;
	}

	String getTargetType() {
		return targetType;
	}

	String getTargetId() {
		return targetId;
	}

	Map<String, Object> getBefore() {
		return before;
	}

	Map<String, Object> getAfter() {
		return after;
	}

	Map<String, Object> getDiff() {
		return diff;
	}

}
