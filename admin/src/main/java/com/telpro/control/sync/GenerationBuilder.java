package com.telpro.control.sync;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.telpro.control.common.LogSafe;
import com.telpro.control.common.Texts;
import com.telpro.control.trunk.Cidr;
import com.telpro.control.trunk.FromDomainLiterals;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.Trunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Turns trunks into the generation document of the contract: only what the proxy
 * enforces, in the form cheapest for it (normalised CIDRs and their integer ranges, HA1s
 * instead of the password).
 */
@Component
class GenerationBuilder {

	private static final Logger log = LoggerFactory.getLogger(GenerationBuilder.class);

	/**
	 * The matching order; names compare by UTF-16 code units, whatever the database
	 * collation.
	 */
	static final Comparator<Trunk> MATCHING_ORDER = Comparator.comparingInt(Trunk::getPriority)
		.thenComparing(Trunk::getName);

	private static final HexFormat HEX = HexFormat.of();

	private static final String HASH_PLACEHOLDER = "0".repeat(64);

	private static final byte[] HASH_FIELD = (",\"hash\":\"" + HASH_PLACEHOLDER + "\"")
		.getBytes(StandardCharsets.US_ASCII);

	private final ObjectProvider<CaCertificateFingerprints> fingerprints;

	GenerationBuilder(ObjectProvider<CaCertificateFingerprints> fingerprints) {
		this.fingerprints = fingerprints;
	}

	GenerationDocument build(List<Trunk> trunks) {
		CaCertificateFingerprints caFingerprints = fingerprints.getIfAvailable(() -> secretId -> null);
		List<PublishedTrunk> published = new ArrayList<>(trunks.size());
		List<byte[]> serialized = new ArrayList<>(trunks.size());
		trunks.stream().filter(Trunk::isEnabled).sorted(MATCHING_ORDER).forEach(trunk -> {
			PublishedTrunk fields = publish(trunk, caFingerprints);
			byte[] json = CanonicalJson.write(fields.withHash(HASH_PLACEHOLDER));
			String hash = fillInHash(json);
			published.add(fields.withHash(hash));
			serialized.add(json);
		});
		return new GenerationDocument(published, serialized);
	}

	/**
	 * Serialising each trunk once matters at 10,000 trunks. The trunk was written with a
	 * placeholder hash; its canonical JSON without {@code hash} is those bytes minus
	 * {@code ,"hash":"0…0"} (keys are sorted, so {@code hash} is never first, and a raw
	 * {@code "hash":"} cannot occur inside a JSON string). The hash of that is then
	 * written over the placeholder.
	 * @return the trunk's hash
	 */
	static String fillInHash(byte[] json) {
		int at = indexOf(json, HASH_FIELD);
		if (at < 0 || indexOf(json, HASH_FIELD, at + 1) >= 0) {
			throw new IllegalStateException("the hash placeholder is not exactly once in the trunk's JSON");
		}
		byte[] withoutHash = new byte[json.length - HASH_FIELD.length];
		System.arraycopy(json, 0, withoutHash, 0, at);
		System.arraycopy(json, at + HASH_FIELD.length, withoutHash, at, json.length - at - HASH_FIELD.length);
		String hash = CanonicalJson.sha256Hex(withoutHash);
		byte[] hex = hash.getBytes(StandardCharsets.US_ASCII);
		System.arraycopy(hex, 0, json, at + HASH_FIELD.length - 1 - hex.length, hex.length);
		return hash;
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		return indexOf(haystack, needle, 0);
	}

	private static int indexOf(byte[] haystack, byte[] needle, int from) {
		outer: for (int i = from; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	private PublishedTrunk publish(Trunk trunk, CaCertificateFingerprints caFingerprints) {
		Networks networks = networks(trunk);
		return new PublishedTrunk(ha1(trunk), trunk.getAuthMethod().wire(), Texts.blankToNull(trunk.getAuthRealm()),
				Texts.blankToNull(trunk.getAuthUser()), networks.cidrs(), List.copyOf(trunk.getCodecPreferences()),
				Texts.blankToNull(trunk.getFromDomainPattern()), null, trunk.getId(),
				trunk.getIdentifyBy().stream().map(IdentifyMethod::wire).toList(), trunk.isInternal(),
				trunk.getLimitResponse(), trunk.getMaxCallsPerSecond(), trunk.getMaxConcurrentCalls(), trunk.getName(),
				trunk.getPeerNameVerification().wire(), trunk.getPriority(), networks.v4(), networks.v6(),
				trunk.isRequireClientCert(), trunk.isRequireTls(), trunk.isRequiresXCall(), trunk.getSrtpMode().wire(),
				List.copyOf(trunk.getStripHeaders()), trunk.isSymmetricRtp(),
				trunk.getTlsCaSecretId() == null ? null : caFingerprints.fingerprint(trunk.getTlsCaSecretId()),
				Texts.blankToNull(trunk.getTlsRemoteSubjectName()), Texts.blankToNull(trunk.getUniqueIdHeader()),
				Texts.blankToNull(trunk.getUserAgentPattern()), trunk.isVerifyPeer());
	}

	private record Networks(List<String> cidrs, List<List<Long>> v4, List<List<String>> v6) {
	}

	private static Networks networks(Trunk trunk) {
		Set<String> cidrs = new LinkedHashSet<>();
		List<List<Long>> rangesV4 = new ArrayList<>();
		List<List<String>> rangesV6 = new ArrayList<>();
		for (String text : trunk.getAllowedIps()) {
			Cidr cidr;
			try {
				cidr = Cidr.parse(text);
			}
			catch (IllegalArgumentException ex) {
				// Validated on save, so only a row edited behind the service's back gets
				// here; leaving
				// the entry out narrows the trunk, it never widens it.
				log.warn("Trunk {} ({}): allowed IP entry left out of the generation: {}", trunk.getId(),
						LogSafe.of(trunk.getName()), LogSafe.of(ex.getMessage()));
				continue;
			}
			if (!cidrs.add(cidr.toString())) {
				continue;
			}
			if (cidr.isIpv4()) {
				rangesV4.add(List.of(cidr.low().longValueExact(), cidr.high().longValueExact()));
			}
			else {
				rangesV6.add(List.of(hex128(cidr.low()), hex128(cidr.high())));
			}
		}
		return new Networks(List.copyOf(cidrs), rangesV4, rangesV6);
	}

	/**
	 * {@code md5(user:realm:password)} for every realm the proxy may challenge with: the
	 * trunk's realm, or else each domain its From-domain pattern names literally. Empty
	 * when the trunk has no digest or cannot be given one without its plaintext: the
	 * proxy then refuses it (fail closed).
	 */
	private static Map<String, String> ha1(Trunk trunk) {
		Map<String, String> ha1 = new TreeMap<>();
		String user = Texts.blankToNull(trunk.getAuthUser());
		if (!trunk.getAuthMethod().needsDigest() || user == null || !trunk.isAuthPassSet()) {
			if (trunk.getAuthMethod().needsDigest()) {
				log.warn("Trunk {} ({}): digest without user or password; published without HA1, the proxy refuses it",
						trunk.getId(), LogSafe.of(trunk.getName()));
			}
			return ha1;
		}
		String realm = Texts.blankToNull(trunk.getAuthRealm());
		List<String> realms = realm != null ? List.of(realm)
				: FromDomainLiterals.of(trunk.getFromDomainPattern()).orElse(List.of());
		if (realms.isEmpty()) {
			log.warn(
					"Trunk {} ({}): digest with no realm and a From-domain pattern naming no literal domain; "
							+ "published without HA1, the proxy refuses it",
					trunk.getId(), LogSafe.of(trunk.getName()));
		}
		for (String r : realms) {
			String credentials = user + ":" + r + ":" + trunk.getAuthPass();
			ha1.put(r, CanonicalJson.md5Hex(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return ha1;
	}

	private static String hex128(BigInteger value) {
		byte[] bytes = value.toByteArray();
		byte[] fixed = new byte[16];
		int length = Math.min(bytes.length, 16);
		System.arraycopy(bytes, bytes.length - length, fixed, 16 - length, length);
		return HEX.formatHex(fixed);
	}

}
