package com.telpro.control.trunk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;

/**
 * The trunk list's search, filters and sort, done by PostgreSQL (one page of rows is
 * read, however many trunks there are). Every part is optional; unknown values of a
 * filter match nothing rather than everything.
 *
 * @param text part of the name, an allowed IP, a pattern or the unique ID header
 * (case-insensitive)
 * @param enabled {@code true}, {@code false} or null for both
 * @param authMethod a wire value ({@code ip_only}, {@code digest}, {@code ip_and_digest})
 * or null
 * @param tlsMode one of {@link #TLS_MODES} or null
 * @param internal {@code true}, {@code false} or null for both
 * @param sort one of {@link #SORTS}; the matching order (priority, then name) by default
 * @param descending reverse the sort
 */
public record TrunkSearch(String text, Boolean enabled, String authMethod, String tlsMode, Boolean internal,
		String sort, boolean descending) {

	/** The TLS modes of the spec's table, as the list shows them. */
	public static final List<String> TLS_MODES = List.of("none", "required", "verify", "peer-name", "mtls-peer-name");

	public static final List<String> SORTS = List.of("priority", "name", "auth", "enabled");

	public Specification<Trunk> specification() {
		return (root, query, cb) -> {
			List<Predicate> all = new ArrayList<>();
			if (text != null && !text.isBlank()) {
				String like = "%" + escape(text.strip().toLowerCase(Locale.ROOT)) + "%";
				all.add(cb.or(cb.like(cb.lower(root.get("stored").get("name")), like, '\\'),
						// jsonb has no lower(); jsonb_pretty gives its text.
						cb.like(cb
							.lower(cb.function("jsonb_pretty", String.class, root.get("stored").get("allowedIps"))),
								like, '\\'),
						cb.like(cb.lower(cb.coalesce(root.get("stored").get("fromDomainPattern"), "")), like, '\\'),
						cb.like(cb.lower(cb.coalesce(root.get("stored").get("userAgentPattern"), "")), like, '\\'),
						cb.like(cb.lower(cb.coalesce(root.get("stored").get("uniqueIdHeader"), "")), like, '\\')));
			}
			if (enabled != null) {
				all.add(cb.equal(root.get("stored").get("enabled"), enabled));
			}
			if (internal != null) {
				all.add(cb.equal(root.get("stored").get("isInternal"), internal));
			}
			if (authMethod != null && !authMethod.isBlank()) {
				AuthMethod method = wireOrNull(authMethod);
				all.add(method == null ? cb.disjunction() : cb.equal(root.get("stored").get("authMethod"), method));
			}
			if (tlsMode != null && !tlsMode.isBlank()) {
				all.add(tls(root, cb));
			}
			return cb.and(all.toArray(Predicate[]::new));
		};
	}

	/**
	 * Mirrors the list's TLS column (admin/TrunkRow): the same trunk never shows under
	 * two modes.
	 */
	private Predicate tls(Root<Trunk> root, CriteriaBuilder cb) {
		Predicate tls = cb.isTrue(root.get("stored").get("requireTls"));
		Predicate verify = cb.isTrue(root.get("stored").get("verifyPeer"));
		Predicate clientCert = cb.isTrue(root.get("stored").get("requireClientCert"));
		Predicate peerName = cb.equal(root.get("stored").get("peerNameVerification"), PeerNameVerification.ENABLED);
		Predicate full = cb.and(verify, clientCert, peerName);
		return switch (tlsMode) {
			case "none" -> cb.isFalse(root.get("stored").get("requireTls"));
			case "mtls-peer-name" -> cb.and(tls, full);
			case "peer-name" -> cb.and(tls, peerName, cb.not(cb.and(verify, clientCert)));
			case "verify" -> cb.and(tls, cb.not(peerName), cb.or(verify, clientCert));
			case "required" -> cb.and(tls, cb.not(peerName), cb.not(verify), cb.not(clientCert));
			default -> cb.disjunction();
		};
	}

	public Sort order() {
		Sort.Direction direction = descending ? Sort.Direction.DESC : Sort.Direction.ASC;
		String by = sort == null ? "priority" : sort;
		return switch (by) {
			case "name" -> Sort.by(direction, "stored.name");
			case "auth" -> Sort.by(direction, "stored.authMethod").and(Sort.by("stored.priority", "stored.name"));
			case "enabled" -> Sort.by(direction, "stored.enabled").and(Sort.by("stored.priority", "stored.name"));
			default -> Sort.by(direction, "stored.priority").and(Sort.by(direction, "stored.name"));
		};
	}

	private static AuthMethod wireOrNull(String wire) {
		for (AuthMethod method : AuthMethod.values()) {
			if (method.wire().equals(wire)) {
				return method;
			}
		}
		return null;
	}

	private static String escape(String text) {
		return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

}
