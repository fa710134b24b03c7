package com.telpro.control.security;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.criteria.Predicate;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads the audit log. Writing happens only through {@link AuditableChange} events. */
@Service
public class AuditService {

	public static final int MAX_PAGE_SIZE = 200;

	private final AuditRepository audit;

	AuditService(AuditRepository audit) {
		this.audit = audit;
	}

	@Transactional(readOnly = true)
	public AuditPage find(AuditFilter filter, int page, int size) {
		int safeSize = Math.min(Math.max(size, 1), MAX_PAGE_SIZE);
		int safePage = Math.max(page, 0);
		Page<AuditEntry> found = audit.findAll(matching(filter),
				PageRequest.of(safePage, safeSize, Sort.by(Sort.Order.desc("occurredAt"), Sort.Order.desc("id"))));
		return new AuditPage(found.map(AuditRecord::of).getContent(), safePage, safeSize, found.getTotalElements(),
				found.getTotalPages());
	}

	private static Specification<AuditEntry> matching(AuditFilter filter) {
		return (root, query, cb) -> {
			List<Predicate> where = new ArrayList<>();
			if (hasText(filter.actor())) {
				where.add(cb.equal(root.get("actor"), filter.actor()));
			}
			if (hasText(filter.action())) {
				where.add(cb.equal(root.get("action"), filter.action()));
			}
			if (hasText(filter.targetType())) {
				where.add(cb.equal(root.get("targetType"), filter.targetType()));
			}
			if (hasText(filter.targetId())) {
				where.add(cb.equal(root.get("targetId"), filter.targetId()));
			}
			if (filter.from() != null) {
				where.add(cb.greaterThanOrEqualTo(root.get("occurredAt"), filter.from()));
			}
			if (filter.to() != null) {
				where.add(cb.lessThan(root.get("occurredAt"), filter.to()));
			}
			return cb.and(where.toArray(Predicate[]::new));
		};
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

}
