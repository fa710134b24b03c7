package com.telpro.control.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import com.telpro.control.trunk.AuthMethod;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.PeerNameVerification;
import com.telpro.control.trunk.SrtpMode;
import com.telpro.control.trunk.Trunk;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * The published bytes of a rich set of trunks, byte for byte: every key, value, key order
 * and hash. The expected document was written by the builder before the published trunk
 * was derived from the spec by name (29 positional fields then), so the refactoring is
 * proven not to change a single byte the edges read. Change the expected file only with a
 * contract change ({@code -Dgolden.write=true} rewrites it; review the diff).
 */
class PublishedBytesTests {

	private static final Path GOLDEN = Path
		.of("admin/src/test/resources/com/telpro/control/sync/published-golden.json");

	private static final Map<Long, String> FINGERPRINTS = Map.of(41L,
			"3f:1a:00:9c:de:ad:be:ef:3f:1a:00:9c:de:ad:be:ef:3f:1a:00:9c:de:ad:be:ef:3f:1a:00:9c:de:ad:be:ef");

	private final GenerationBuilder builder;

	PublishedBytesTests() {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("fingerprints", (CaCertificateFingerprints) FINGERPRINTS::get);
		this.builder = new GenerationBuilder(beans.getBeanProvider(CaCertificateFingerprints.class));
	}

	@Test
	void theBuilderPublishesExactlyTheBytesOfTheContractAsBefore() throws IOException {
		byte[] document = builder.build(richTrunks()).toJson(42, Instant.parse("2026-12-03T10:00:00.123Z"));

		if (Boolean.getBoolean("golden.write")) {
			Files.write(GOLDEN, document);
		}
		assertThat(new String(document, StandardCharsets.UTF_8))
			.isEqualTo(new String(Files.readAllBytes(GOLDEN), StandardCharsets.UTF_8));
	}

	/** Every kind of value a published field can hold, and the edge cases of each. */
	static List<Trunk> richTrunks() {
		List<Trunk> trunks = new ArrayList<>();
		trunks.add(id(1, Trunks.ipOnly("plain-v4", 50, "192.0.2.7")));
		// host bits set, duplicates after normalisation, both families, an entry that
		// does
		// not parse (left out)
		trunks.add(id(2, Trunks.ipOnly("mixed", 50, "198.51.100.77/24", "198.51.100.0/24", "2001:DB8:0:0::1/48", "::/0",
				"0.0.0.0/0", "not-an-ip", "::ffff:1.2.3.4")));
		Trunk digestWithRealm = id(3,
				Trunks.digest("digest-realm", 10, "^sip\\.carrier\\.example$", "carrier.example", "alice", "pw-1"));
		trunks.add(digestWithRealm);
		// no realm: one HA1 per domain the pattern names literally
		trunks.add(id(4, Trunks.digest("digest-literals", 10, "^(a\\.example|B\\.example)$", "", "bob", "pw:2")));
		// no realm, a pattern naming no literal domain: no HA1 (the edge refuses it)
		trunks.add(id(5, Trunks.digest("digest-wide", 10, ".*\\.example$", null, "carol", "pw-3")));
		// no password stored
		trunks.add(id(6, Trunks.digest("digest-nopass", 10, "^d\\.example$", "d.example", "dave", null)));
		// blank user
		trunks.add(id(7, Trunks.digest("digest-blank-user", 10, "^e\\.example$", "e.example", "  ", "pw")));
		Trunk full = id(8, Trunks.digest("full \"quoted\" \\ naïve ☎", 0, "^sip\\.full\\.example$", "full.example",
				"alice", "s€cret"));
		full.setIdentifyBy(EnumSet.allOf(IdentifyMethod.class));
		full.setAuthMethod(AuthMethod.IP_AND_DIGEST);
		full.setAllowedIps(List.of("54.172.60.0/23", "2001:db8::/32"));
		full.setUserAgentPattern("^Twilio.*");
		full.setSrtpMode(SrtpMode.REQUIRE);
		full.setSymmetricRtp(true);
		full.setRequireTls(true);
		full.setVerifyPeer(true);
		full.setRequireClientCert(true);
		full.setPeerNameVerification(PeerNameVerification.ENABLED);
		full.setTlsRemoteSubjectName("trunk.pstn.twilio.com");
		full.setTlsCaSecretId(41L);
		full.setUniqueIdHeader("X-Twilio-CallSid");
		full.setInternal(true);
		full.setRequiresXCall(true);
		full.setMaxConcurrentCalls(30);
		full.setMaxCallsPerSecond(12);
		full.setLimitResponse(480);
		full.setCodecPreferences(List.of("PCMU", "G722"));
		full.setStripHeaders(List.of("P-Asserted-Identity", "X-Internal"));
		trunks.add(full);
		// a CA secret without a known fingerprint; blank strings everywhere they can be
		Trunk blanks = id(9, Trunks.ipOnly("blanks", 50, "203.0.113.9"));
		blanks.setIdentifyBy(EnumSet.of(IdentifyMethod.SOURCE_IP, IdentifyMethod.USER_AGENT));
		blanks.setUserAgentPattern(" ");
		blanks.setFromDomainPattern("");
		blanks.setTlsRemoteSubjectName("\t");
		blanks.setUniqueIdHeader("");
		blanks.setTlsCaSecretId(99L);
		blanks.setVerifyPeer(true);
		blanks.setSrtpMode(SrtpMode.PREFER);
		blanks.setLimitResponse(503);
		blanks.setCodecPreferences(List.of());
		trunks.add(blanks);
		// the hash field's own text inside a value
		Trunk trap = id(10, Trunks.digest("trap", 1000, "^(hash|a\\.example)$", null, "u", "p"));
		trap.setUserAgentPattern("\",\"hash\":\"" + "0".repeat(64) + "\"");
		trunks.add(trap);
		// same priority: names in UTF-16 order ("B" before "a"), whatever the input order
		trunks.add(id(11, Trunks.ipOnly("alpha", 20, "10.0.0.1")));
		trunks.add(id(12, Trunks.ipOnly("Beta", 20, "10.0.0.2")));
		trunks.add(id(13, Trunks.ipOnly("ä-umlaut", 20, "10.0.0.3")));
		// disabled: never published
		Trunk disabled = id(14, Trunks.ipOnly("disabled", 5, "10.0.0.4"));
		disabled.setEnabled(false);
		trunks.add(disabled);
		// DIGEST only, identified by user agent
		Trunk uaDigest = id(15, Trunks.digest("ua-digest", 30, null, "ua.example", "eve", "pw-15"));
		uaDigest.setIdentifyBy(EnumSet.of(IdentifyMethod.USER_AGENT));
		uaDigest.setUserAgentPattern("^PBX/[0-9]+$");
		uaDigest.setMaxCallsPerSecond(10_000);
		uaDigest.setMaxConcurrentCalls(100_000);
		trunks.add(uaDigest);
		Trunk largeId = id(Long.MAX_VALUE / 3, Trunks.ipOnly("large-id", 999, "255.255.255.255", "ffff::/16"));
		trunks.add(largeId);
		return trunks;
	}

	private static Trunk id(long id, Trunk trunk) {
		ReflectionTestUtils.setField(trunk, "id", id);
		return trunk;
	}

}
