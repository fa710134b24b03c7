package com.telpro.control.security;

import java.time.Instant;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/audit}: the audit log, newest first, filtered by {@code actor},
 * {@code action}, {@code target_type}, {@code target_id} and the time range {@code from}
 * (inclusive) to {@code to} (exclusive, ISO-8601 instants), paged by {@code page} and
 * {@code size} (at most 200). Read-only: there is no way to change the log.
 */
@RestController
@RequestMapping("/api/audit")
class AuditApiController {

	private final AuditService audit;

	AuditApiController(AuditService audit) {
		this.audit = audit;
	}

	@GetMapping
	AuditPage find(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
			@RequestParam(name = "target_type", required = false) String targetType,
			@RequestParam(name = "target_id", required = false) String targetId,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
		return audit.find(new AuditFilter(actor, action, targetType, targetId, from, to), page, size);
	}

}
