package com.telpro.control.sync;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
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
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkSpec;
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
	static final Comparator<PublishedTrunk> MATCHING_ORDER = Comparator.comparingInt(PublishedTrunk::priority)
		.thenComparing(PublishedTrunk::name);

	/**
	 * Spec fields the edge never reads: its own copy of these is derived (allowed IPs as
	 * {@code cidrs} and ranges, the CA secret as its fingerprint, the password as HA1s)
	 * or they say nothing to it (disabled trunks are left out, the version is the
	 * editor's).
	 */
	static final Set<String> NEVER_PUBLISHED = Set.of("enabled", "version", "auth_pass", "allowed_ips",
			"tls_ca_secret_id");

	/** Spec fields published under another name. */
	static final Map<String, String> RENAMED = Map.of("codec_preferences", "codecs");

	/** Published fields computed here, not copied from the spec. */
	static final Set<String> DERIVED = Set.of("id", "hash", "auth_ha1", "cidrs", "ranges_v4", "ranges_v6",
			"tls_ca_fingerprint");

	private static final String HASH = "hash";

	private static final HexFormat HEX = HexFormat.of();

	/**
	 * Every other spec field is published under its API name, blank strings as null: a
	 * new spec field is published by default, and {@code RedisContractTest} fails until
	 * {@code REDIS-CONTRACT.md} lists it.
	 */
	private static final List<SpecField> PUBLISHED_SPEC_FIELDS = publishedSpecFields();

	private final ObjectProvider<CaCertificateFingerprints> fingerprints;

	GenerationBuilder(ObjectProvider<CaCertificateFingerprints> fingerprints) {
		this.fingerprints = fingerprints;
	}

	GenerationDocument build(List<Trunk> trunks) {
		return document(publishEach(trunks));
	}

	/** The enabled ones of these trunks as published, in no particular order. */
	List<PublishedTrunk> publishEach(List<Trunk> trunks) {
		CaCertificateFingerprints caFingerprints = fingerprints.getIfAvailable(() -> secretId -> null);
		List<PublishedTrunk> published = new ArrayList<>(trunks.size());
		for (Trunk trunk : trunks) {
			TrunkSpec spec = trunk.spec();
			if (spec.enabled()) {
				published.add(publish(trunk, spec, caFingerprints));
			}
		}
		return published;
	}

	/** The document of these published trunks, in matching order. */
	static GenerationDocument document(Collection<PublishedTrunk> trunks) {
		List<PublishedTrunk> ordered = new ArrayList<>(trunks);
		ordered.sort(MATCHING_ORDER);
		return new GenerationDocument(ordered);
	}

	/**
	 * The trunk's published fields in key order, serialised once: the fields before
	 * {@code hash} and those after it apart, so the canonical JSON without {@code hash}
	 * (what is hashed) and the one with it (what is published) are both joined from the
	 * same bytes.
	 */
	private PublishedTrunk publish(Trunk trunk, TrunkSpec spec, CaCertificateFingerprints caFingerprints) {
		TreeMap<String, Object> fields = new TreeMap<>();
		for (SpecField field : PUBLISHED_SPEC_FIELDS) {
			fields.put(field.published(), field.valueIn(spec));
		}
		long id = trunk.getId();
		Networks networks = networks(id, spec);
		fields.put("id", id);
		fields.put("auth_ha1", ha1(id, spec, trunk.isAuthPassSet() ? trunk.getAuthPass() : null));
		fields.put("cidrs", networks.cidrs());
		fields.put("ranges_v4", networks.v4());
		fields.put("ranges_v6", networks.v6());
		fields.put("tls_ca_fingerprint",
				spec.tlsCaSecretId() == null ? null : caFingerprints.fingerprint(spec.tlsCaSecretId()));
		byte[] before = CanonicalJson.write(fields.headMap(HASH, false));
		byte[] after = CanonicalJson.write(fields.tailMap(HASH, false));
		String hash = CanonicalJson.sha256Hex(join(before, null, after));
		return new PublishedTrunk(id, spec.name(), spec.priority(), hash, join(before, hash, after));
	}

	/**
	 * {@code {a…}} and {@code {z…}} as {@code {a…,z…}}, with {@code "hash":"…"} between
	 * them when given.
	 */
	static byte[] join(byte[] before, String hash, byte[] after) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(before.length + after.length + 80);
		out.write(before, 0, before.length - 1);
		boolean empty = before.length == 2;
		if (hash != null) {
			out.writeBytes(
					((empty ? "" : ",") + "\"" + HASH + "\":\"" + hash + "\"").getBytes(StandardCharsets.US_ASCII));
			empty = false;
		}
		if (after.length > 2) {
			if (!empty) {
				out.write(',');
			}
			out.write(after, 1, after.length - 1);
		}
		else {
			out.write('}');
		}
		return out.toByteArray();
	}

	/**
	 * A spec field under its published name, read the way Jackson serialises it for the
	 * API.
	 */
	private record SpecField(String published, PropertyWriter property) {

		Object valueIn(TrunkSpec spec) {
			Object value;
			try {
				value = ((BeanPropertyWriter) property).get(spec);
			}
			catch (Exception ex) {
				throw new IllegalStateException("spec field " + property.getName() + " could not be read", ex);
			}
			return value instanceof String text && text.isBlank() ? null : value;
		}

	}

	private static List<SpecField> publishedSpecFields() {
		List<SpecField> fields = new ArrayList<>();
		try {
			JsonSerializer<Object> serializer = CanonicalJson.MAPPER.getSerializerProviderInstance()
				.findValueSerializer(TrunkSpec.class);
			serializer.properties().forEachRemaining(property -> {
				if (NEVER_PUBLISHED.contains(property.getName())) {
					return;
				}
				String published = RENAMED.getOrDefault(property.getName(), property.getName());
				if (DERIVED.contains(published) || !(property instanceof BeanPropertyWriter)) {
					throw new IllegalStateException("spec field " + property.getName()
							+ " cannot be published as it is: name it in NEVER_PUBLISHED or RENAMED");
				}
				fields.add(new SpecField(published, property));
			});
		}
		catch (JsonMappingException ex) {
			throw new IllegalStateException("TrunkSpec is not serialisable", ex);
		}
		return List.copyOf(fields);
	}

	private record Networks(List<String> cidrs, List<List<Long>> v4, List<List<String>> v6) {
	}

	private static Networks networks(long id, TrunkSpec spec) {
		Set<String> cidrs = new LinkedHashSet<>();
		List<List<Long>> rangesV4 = new ArrayList<>();
		List<List<String>> rangesV6 = new ArrayList<>();
		for (String text : spec.allowedIps()) {
			Cidr cidr;
			try {
				cidr = Cidr.parse(text);
			}
			catch (IllegalArgumentException ex) {
				// Validated on save, so only a row edited behind the service's back gets
				// here; leaving
				// the entry out narrows the trunk, it never widens it.
				log.warn("Trunk {} ({}): allowed IP entry left out of the generation: {}", id, LogSafe.of(spec.name()),
						LogSafe.of(ex.getMessage()));
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
	private static Map<String, String> ha1(long id, TrunkSpec spec, String password) {
		Map<String, String> ha1 = new TreeMap<>();
		String user = Texts.blankToNull(spec.authUser());
		if (!spec.needsDigest() || user == null || password == null) {
			if (spec.needsDigest()) {
				log.warn("Trunk {} ({}): digest without user or password; published without HA1, the proxy refuses it",
						id, LogSafe.of(spec.name()));
			}
			return ha1;
		}
		String realm = Texts.blankToNull(spec.authRealm());
		List<String> realms = realm != null ? List.of(realm)
				: FromDomainLiterals.of(spec.fromDomainPattern()).orElse(List.of());
		if (realms.isEmpty()) {
			log.warn("Trunk {} ({}): digest with no realm and a From-domain pattern naming no literal domain; "
					+ "published without HA1, the proxy refuses it", id, LogSafe.of(spec.name()));
		}
		for (String r : realms) {
			String credentials = user + ":" + r + ":" + password;
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
