package com.telpro.control.security;

import java.util.List;

/** A page of audit rows, newest first. */
public record AuditPage(List<AuditRecord> items, int page, int size, long totalItems, int totalPages) {
}
