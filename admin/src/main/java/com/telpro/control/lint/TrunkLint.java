package com.telpro.control.lint;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.telpro.control.trunk.Cidr;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.Trunk;

/**
 * The lint rules over a trunk set, in the edge's matching order (priority, then name;
 * enabled trunks only, as they are published). Identification is what the edge does
 * first, so a trunk an earlier one always takes is dead whatever its authentication says.
 */
final class TrunkLint {

	static final String SHADOWED = "shadowed";

	static final String EQUAL_PRIORITY_OVERLAP = "equal_priority_overlap";

	static final String DIGEST_WITHOUT_TLS = "digest_without_tls";

	static final String CA_EXPIRING = "ca_expiring";

	static final String MATCHES_EVERYTHING = "matches_everything";

	static final Duration CA_WARNING = Duration.ofDays(30);

	/**
	 * Strings of every kind a From host or User-Agent can be: a pattern finding all of
	 * them finds anything.
	 */
	private static final List<String> PROBES = List.of("", "x", "Z", "0", "sip.example.com", "[2001:db8::1]",
			"192.0.2.1", "Carrier SBC/1.0 (Linux)", "-_.~!*'()", "\u00e9\u4e2d", "\t", "\n");

	private static final Comparator<Trunk> MATCHING_ORDER = Comparator.comparingInt(Trunk::getPriority)
		.thenComparing(Trunk::getName);

	private TrunkLint() {
	}

	/**
	 * @param caExpiry a CA secret id → its certificate's notAfter, empty when unknown
	 */
	static List<LintFinding> check(List<Trunk> all, LongFunction<Optional<Instant>> caExpiry, Clock clock) {
		List<Trunk> trunks = all.stream().filter(Trunk::isEnabled).sorted(MATCHING_ORDER).toList();
		List<Ident> idents = trunks.stream().map(Ident::of).toList();
		List<LintFinding> findings = new ArrayList<>();
		for (int j = 0; j < idents.size(); j++) {
			Ident later = idents.get(j);
			for (int i = 0; i < j; i++) {
				Ident earlier = idents.get(i);
				if (earlier.covers(later)) {
					findings.add(new LintFinding(SHADOWED, "error", refs(later.trunk, earlier.trunk),
							"'" + later.trunk.getName() + "' can never match: '" + earlier.trunk.getName()
									+ "' comes first and matches every request it matches"));
					break;
				}
			}
		}
		for (int j = 0; j < idents.size(); j++) {
			for (int i = 0; i < j; i++) {
				Ident a = idents.get(i);
				Ident b = idents.get(j);
				if (a.trunk.getPriority() == b.trunk.getPriority() && a.overlaps(b)) {
					findings.add(new LintFinding(EQUAL_PRIORITY_OVERLAP, "warning", refs(a.trunk, b.trunk),
							"'" + a.trunk.getName() + "' and '" + b.trunk.getName() + "' have priority "
									+ a.trunk.getPriority() + " and can match the same request: '" + a.trunk.getName()
									+ "' wins only because its name sorts first; give them different priorities"));
				}
			}
		}
		for (Trunk t : trunks) {
			if (t.getAuthMethod().needsDigest() && !t.isRequireTls()) {
				findings.add(new LintFinding(DIGEST_WITHOUT_TLS, "warning", refs(t),
						"'" + t.getName() + "' authenticates with digest but does not require TLS: "
								+ "user name and realm travel in clear, and the digest can be attacked offline"));
			}
			everything(t, IdentifyMethod.FROM_DOMAIN, Trunk::getFromDomainPattern, "From-domain", findings);
			everything(t, IdentifyMethod.USER_AGENT, Trunk::getUserAgentPattern, "User-Agent", findings);
			if (t.getTlsCaSecretId() != null) {
				Optional<Instant> notAfter = caExpiry.apply(t.getTlsCaSecretId());
				Instant now = clock.instant();
				if (notAfter.isPresent() && notAfter.get().isBefore(now.plus(CA_WARNING))) {
					findings
						.add(new LintFinding(CA_EXPIRING, notAfter.get().isBefore(now) ? "error" : "warning", refs(t),
								"the CA certificate of '" + t.getName() + "' "
										+ (notAfter.get().isBefore(now) ? "expired" : "expires") + " on "
										+ notAfter.get()));
				}
			}
		}
		return findings;
	}

	private static void everything(Trunk t, IdentifyMethod method, Function<Trunk, String> pattern, String what,
			List<LintFinding> findings) {
		if (t.getIdentifyBy().contains(method) && matchesEverything(pattern.apply(t))) {
			findings.add(new LintFinding(MATCHES_EVERYTHING, "warning", refs(t), "the " + what + " pattern /"
					+ pattern.apply(t) + "/ of '" + t.getName() + "' matches anything: it identifies nothing"));
		}
	}

	static boolean matchesEverything(String regex) {
		if (regex == null || regex.isEmpty()) {
			return false;
		}
		Pattern p = compile(regex);
		return p != null && PROBES.stream().allMatch(s -> p.matcher(s).find());
	}

	private static Pattern compile(String regex) {
		try {
			return Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			return null;
		}
	}

	private static List<LintFinding.TrunkRef> refs(Trunk... trunks) {
		List<LintFinding.TrunkRef> refs = new ArrayList<>();
		for (Trunk t : trunks) {
			refs.add(new LintFinding.TrunkRef(t.getId() == null ? 0 : t.getId(), t.getName()));
		}
		return refs;
	}

	/**
	 * What identifies a trunk: its ranges (null: any source), its header patterns (null:
	 * any value; a pattern matching everything counts as none).
	 */
	private record Ident(Trunk trunk, List<BigInteger[]> ranges, String fromDomain, String userAgent) {

		static Ident of(Trunk t) {
			List<BigInteger[]> ranges = null;
			if (t.getIdentifyBy().contains(IdentifyMethod.SOURCE_IP)) {
				ranges = new ArrayList<>();
				for (String text : t.getAllowedIps()) {
					try {
						Cidr c = Cidr.parse(text);
						// one number line for both families: IPv4 below 2^32, IPv6
						// shifted above it
						BigInteger offset = c.isIpv4() ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(32);
						ranges.add(new BigInteger[] { c.low().add(offset), c.high().add(offset) });
					}
					catch (IllegalArgumentException ex) {
						// not published either (GenerationBuilder leaves it out)
					}
				}
			}
			return new Ident(t, ranges, rule(t, IdentifyMethod.FROM_DOMAIN, t.getFromDomainPattern()),
					rule(t, IdentifyMethod.USER_AGENT, t.getUserAgentPattern()));
		}

		private static String rule(Trunk t, IdentifyMethod method, String pattern) {
			if (!t.getIdentifyBy().contains(method) || pattern == null || pattern.isEmpty()
					|| matchesEverything(pattern)) {
				return null;
			}
			return pattern;
		}

		/**
		 * Whether every request this other trunk identifies is identified by this one
		 * too.
		 */
		boolean covers(Ident other) {
			return coversRanges(other) && coversPattern(fromDomain, other.fromDomain)
					&& coversPattern(userAgent, other.userAgent);
		}

		private boolean coversRanges(Ident other) {
			if (ranges == null) {
				return true;
			}
			if (other.ranges == null) {
				return false;
			}
			return other.ranges.stream().allMatch(r -> insideUnion(r, ranges));
		}

		private static boolean coversPattern(String mine, String theirs) {
			return mine == null || Objects.equals(mine, theirs);
		}

		/**
		 * Whether some request could be identified by both (patterns: only when equal or
		 * absent).
		 */
		boolean overlaps(Ident other) {
			boolean sources = ranges == null || other.ranges == null
					|| ranges.stream().anyMatch(a -> other.ranges.stream().anyMatch(b -> intersect(a, b)));
			return sources && samePatternOrOpen(fromDomain, other.fromDomain)
					&& samePatternOrOpen(userAgent, other.userAgent);
		}

		private static boolean samePatternOrOpen(String a, String b) {
			return a == null || b == null || a.equals(b);
		}

		private static boolean intersect(BigInteger[] a, BigInteger[] b) {
			return a[0].compareTo(b[1]) <= 0 && b[0].compareTo(a[1]) <= 0;
		}

		private static boolean insideUnion(BigInteger[] r, List<BigInteger[]> union) {
			List<BigInteger[]> sorted = new ArrayList<>(union);
			sorted.sort(Comparator.comparing(x -> x[0]));
			BigInteger next = r[0];
			for (BigInteger[] u : sorted) {
				if (u[0].compareTo(next) > 0) {
					break;
				}
				if (u[1].compareTo(next) >= 0) {
					if (u[1].compareTo(r[1]) >= 0) {
						return true;
					}
					next = u[1].add(BigInteger.ONE);
				}
			}
			return false;
		}

	}

}
