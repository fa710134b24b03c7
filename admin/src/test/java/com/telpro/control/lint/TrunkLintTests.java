package com.telpro.control.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.telpro.control.trunk.AuthMethod;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.Trunk;
import org.junit.jupiter.api.Test;

/** Each lint rule with a trunk set that triggers it and one that does not. */
class TrunkLintTests {

	private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private static Trunk trunk(String name, int priority, String... cidrs) {
		Trunk t = new Trunk();
		t.setName(name);
		t.setPriority(priority);
		t.setEnabled(true);
		t.setIdentifyBy(Set.of(IdentifyMethod.SOURCE_IP));
		t.setAllowedIps(new ArrayList<>(List.of(cidrs)));
		t.setAuthMethod(AuthMethod.IP_ONLY);
		return t;
	}

	private static Trunk byDomain(String name, int priority, String pattern, String... cidrs) {
		Trunk t = trunk(name, priority, cidrs);
		t.setIdentifyBy(cidrs.length == 0 ? Set.of(IdentifyMethod.FROM_DOMAIN)
				: Set.of(IdentifyMethod.SOURCE_IP, IdentifyMethod.FROM_DOMAIN));
		t.setFromDomainPattern(pattern);
		return t;
	}

	private static List<LintFinding> lint(Trunk... trunks) {
		return lint(Map.of(), trunks);
	}

	private static List<LintFinding> lint(Map<Long, Instant> caExpiry, Trunk... trunks) {
		return TrunkLint.check(List.of(trunks), id -> Optional.ofNullable(caExpiry.get(id)), CLOCK);
	}

	private static List<String> rules(List<LintFinding> findings, String rule) {
		return findings.stream().filter(f -> f.rule().equals(rule)).map(f -> f.trunks().get(0).name()).toList();
	}

	// ------------------------------------------------------------------ shadowed

	@Test
	void aTrunkInsideAnEarlierTrunksRangesIsShadowed() {
		List<LintFinding> f = lint(trunk("wide", 10, "203.0.113.0/24"), trunk("narrow", 20, "203.0.113.8/29"));
		assertThat(rules(f, TrunkLint.SHADOWED)).containsExactly("narrow");
		assertThat(f.get(0).trunks().get(1).name()).isEqualTo("wide");
	}

	@Test
	void aTrunkCoveredOnlyByTheUnionOfAnEarlierTrunksRangesIsShadowed() {
		assertThat(rules(lint(trunk("halves", 10, "10.0.0.0/25", "10.0.0.128/25"), trunk("whole", 20, "10.0.0.0/24")),
				TrunkLint.SHADOWED))
			.containsExactly("whole");
	}

	@Test
	void aNarrowerEarlierTrunkOrAnExtraHeaderRuleDoesNotShadow() {
		assertThat(rules(lint(trunk("narrow", 10, "203.0.113.8/29"), trunk("wide", 20, "203.0.113.0/24")),
				TrunkLint.SHADOWED))
			.isEmpty();
		// the earlier trunk also needs a From domain: callers without it reach the later
		// trunk
		assertThat(rules(
				lint(byDomain("domain", 10, "^a\\.example$", "203.0.113.0/24"), trunk("ip", 20, "203.0.113.0/24")),
				TrunkLint.SHADOWED))
			.isEmpty();
		// a disabled earlier trunk shadows nothing
		Trunk disabled = trunk("wide", 10, "203.0.113.0/24");
		disabled.setEnabled(false);
		assertThat(rules(lint(disabled, trunk("narrow", 20, "203.0.113.8/29")), TrunkLint.SHADOWED)).isEmpty();
	}

	@Test
	void aTrunkWithoutAddressRulesShadowsALaterOneWithTheSamePattern() {
		assertThat(rules(lint(byDomain("any-source", 10, "^a\\.example$"),
				byDomain("one-source", 20, "^a\\.example$", "198.51.100.1")), TrunkLint.SHADOWED))
			.containsExactly("one-source");
		assertThat(rules(lint(byDomain("any-source", 10, "^a\\.example$"),
				byDomain("other", 20, "^b\\.example$", "198.51.100.1")), TrunkLint.SHADOWED))
			.isEmpty();
	}

	// ------------------------------------------------------------------ equal priority

	@Test
	void overlappingTrunksAtEqualPriorityAreReported() {
		List<LintFinding> f = lint(trunk("a", 10, "203.0.113.0/24"), trunk("b", 10, "203.0.113.128/25", "::1"));
		assertThat(rules(f, TrunkLint.EQUAL_PRIORITY_OVERLAP)).containsExactly("a");
		assertThat(f.stream().filter(x -> x.rule().equals(TrunkLint.EQUAL_PRIORITY_OVERLAP)).findFirst().get().trunks())
			.extracting(LintFinding.TrunkRef::name)
			.containsExactly("a", "b");
	}

	@Test
	void disjointRangesOrDifferentPrioritiesAreNotAnOverlap() {
		assertThat(rules(lint(trunk("a", 10, "203.0.113.0/25"), trunk("b", 10, "203.0.113.128/25")),
				TrunkLint.EQUAL_PRIORITY_OVERLAP))
			.isEmpty();
		assertThat(rules(lint(trunk("a", 10, "203.0.113.0/24"), trunk("b", 11, "203.0.113.0/24")),
				TrunkLint.EQUAL_PRIORITY_OVERLAP))
			.isEmpty();
		// an IPv6 range never overlaps an IPv4 one
		assertThat(rules(lint(trunk("a", 10, "0.0.0.0/1"), trunk("b", 10, "::/1")), TrunkLint.EQUAL_PRIORITY_OVERLAP))
			.isEmpty();
	}

	// ------------------------------------------------------------------ digest without
	// TLS

	@Test
	void digestWithoutTlsIsReportedAndWithTlsIsNot() {
		Trunk plain = byDomain("plain", 10, "^pbx\\.example$");
		plain.setAuthMethod(AuthMethod.DIGEST);
		Trunk secured = byDomain("secured", 20, "^other\\.example$");
		secured.setAuthMethod(AuthMethod.IP_AND_DIGEST);
		secured.setAllowedIps(List.of("198.51.100.0/24"));
		secured.setRequireTls(true);
		assertThat(rules(lint(plain, secured, trunk("ip", 30, "192.0.2.1")), TrunkLint.DIGEST_WITHOUT_TLS))
			.containsExactly("plain");
	}

	// ------------------------------------------------------------------ CA expiry

	@Test
	void aCaExpiringWithin30DaysIsReportedALaterOneIsNot() {
		Trunk soon = trunk("soon", 10, "192.0.2.1");
		soon.setTlsCaSecretId(1L);
		Trunk later = trunk("later", 20, "192.0.2.2");
		later.setTlsCaSecretId(2L);
		Trunk expired = trunk("expired", 30, "192.0.2.3");
		expired.setTlsCaSecretId(3L);
		List<LintFinding> f = lint(Map.of(1L, NOW.plus(Duration.ofDays(29)), 2L, NOW.plus(Duration.ofDays(31)), 3L,
				NOW.minus(Duration.ofDays(1))), soon, later, expired);
		assertThat(rules(f, TrunkLint.CA_EXPIRING)).containsExactly("soon", "expired");
		assertThat(f.stream().filter(x -> x.trunks().get(0).name().equals("expired")).findFirst().get().severity())
			.isEqualTo("error");
	}

	// ------------------------------------------------------------------ patterns
	// matching everything

	@Test
	void patternsThatMatchAnythingAreReported() {
		for (String p : List.of(".*", "^", "a|", "(?:)", "[\\s\\S]*", "x*")) {
			assertThat(TrunkLint.matchesEverything(p)).as(p).isTrue();
		}
		for (String p : List.of("^$", ".+", "example", "^[a-z]", "\\.example$")) {
			assertThat(TrunkLint.matchesEverything(p)).as(p).isFalse();
		}
		Trunk ua = trunk("ua", 20, "192.0.2.9");
		ua.setIdentifyBy(Set.of(IdentifyMethod.SOURCE_IP, IdentifyMethod.USER_AGENT));
		ua.setUserAgentPattern(".*");
		assertThat(rules(
				lint(byDomain("all", 10, ".*", "192.0.2.8"), ua, byDomain("fine", 30, "^a\\.example$", "192.0.2.10")),
				TrunkLint.MATCHES_EVERYTHING))
			.containsExactly("all", "ua");
	}

}
