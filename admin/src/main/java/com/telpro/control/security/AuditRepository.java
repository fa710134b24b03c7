package com.telpro.control.security;

import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.data.repository.Repository;

/**
 * Append-only by construction: it offers insert and read, no update or delete (a plain
 * {@link Repository} exposes only the methods declared here).
 */
interface AuditRepository extends Repository<AuditEntry, Long> {

	AuditEntry save(AuditEntry entry);

	Optional<AuditEntry> findById(Long id);

	Page<AuditEntry> findAll(Specification<AuditEntry> filter, Pageable pageable);

}
