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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.DefaultSerializerProvider;
import com.fasterxml.jackson.databind.util.NameTransformer;
import com.telpro.control.common.LogSafe;
import com.telpro.control.common.Texts;
import com.telpro.control.trunk.Cidr;
import com.telpro.control.trunk.FromDomainLiterals;
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
	 * Every published field but {@code hash}, in key order: each spec field not in
	 * {@link #NEVER_PUBLISHED} under its API name (or {@link #RENAMED}), blank strings as
	 * null, and the {@link #DERIVED} ones. A new spec field is published by default, and
	 * {@code RedisContractTest} fails until {@code REDIS-CONTRACT.md} lists it.
	 */
	private static final List<PublishedField> FIELDS = publishedFields();

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
		Writer writer = new Writer();
		List<PublishedTrunk> published = new ArrayList<>(trunks.size());
		for (Trunk trunk : trunks) {
			TrunkSpec spec = trunk.spec();
			if (spec.enabled()) {
				published.add(publish(trunk, spec, caFingerprints, writer));
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

	private PublishedTrunk publish(Trunk trunk, TrunkSpec spec, CaCertificateFingerprints caFingerprints,
			Writer writer) {
		long id = trunk.getId();
		Long caSecretId = spec.tlsCaSecretId();
		Derived derived = new Derived(id, ha1(id, spec, trunk.isAuthPassSet() ? trunk.getAuthPass() : null),
				networks(id, spec), caSecretId == null ? null : caFingerprints.fingerprint(caSecretId));
		byte[] withoutHash = writer.write(spec, derived);
		String hash = CanonicalJson.sha256Hex(withoutHash);
		return new PublishedTrunk(id, spec.name(), spec.priority(), caSecretId, hash,
				withHash(withoutHash, writer.hashAt(), hash));
	}

	/**
	 * What the builder computes for a trunk: the values of the {@link #DERIVED} fields.
	 */
	private record Derived(long id, Map<String, String> ha1, Networks networks, String caFingerprint) {
	}

	/**
	 * Writes a trunk's canonical JSON without {@code hash}, noting where {@code hash}
	 * goes: the JSON with it is the same bytes with {@code ,"hash":"…"} put there, so
	 * what is hashed and what is published come from one serialisation. One per build
	 * (not thread-safe); the spec fields are written by Jackson's own property writers
	 * with their cached serialisers.
	 */
	private static final class Writer {

		private final SerializerProvider provider = ((DefaultSerializerProvider) CanonicalJson.MAPPER
			.getSerializerProvider())
			.createInstance(CanonicalJson.MAPPER.getSerializationConfig(), CanonicalJson.MAPPER.getSerializerFactory());

		private final ByteArrayOutputStream out = new ByteArrayOutputStream(2048);

		private int hashAt;

		byte[] write(TrunkSpec spec, Derived derived) {
			out.reset();
			hashAt = -1;
			try (JsonGenerator json = CanonicalJson.MAPPER.getFactory().createGenerator(out)) {
				json.writeStartObject();
				for (PublishedField field : FIELDS) {
					if (hashAt < 0 && field.name().compareTo(HASH) > 0) {
						json.flush();
						hashAt = out.size();
					}
					field.write(json, provider, spec, derived);
				}
				if (hashAt < 0) {
					json.flush();
					hashAt = out.size();
				}
				json.writeEndObject();
			}
			catch (Exception ex) {
				throw new IllegalStateException("trunk " + derived.id() + " could not be serialised", ex);
			}
			return out.toByteArray();
		}

		/** Where {@code hash} goes in the bytes last written. */
		int hashAt() {
			return hashAt;
		}

	}

	/** {@code withoutHash} with {@code "hash":"<hash>"} put at {@code at}. */
	static byte[] withHash(byte[] withoutHash, int at, String hash) {
		boolean first = at == 1;
		boolean last = withoutHash.length - at == 1;
		byte[] field = ((first ? "" : ",") + "\"" + HASH + "\":\"" + hash + "\"" + (first && !last ? "," : ""))
			.getBytes(StandardCharsets.US_ASCII);
		byte[] json = new byte[withoutHash.length + field.length];
		System.arraycopy(withoutHash, 0, json, 0, at);
		System.arraycopy(field, 0, json, at, field.length);
		System.arraycopy(withoutHash, at, json, at + field.length, withoutHash.length - at);
		return json;
	}

	/**
	 * One published field: a spec field (Jackson's property writer, renamed if need be)
	 * or a derived one.
	 */
	private record PublishedField(String name, BeanPropertyWriter specField, Function<Derived, Object> derived) {

		void write(JsonGenerator json, SerializerProvider provider, TrunkSpec spec, Derived values) throws Exception {
			if (specField == null) {
				provider.defaultSerializeField(name, derived.apply(values), json);
			}
			else if (specField.get(spec) instanceof String text && text.isBlank()) {
				json.writeNullField(name);
			}
			else {
				specField.serializeAsField(spec, json, provider);
			}
		}

	}

	private static List<PublishedField> publishedFields() {
		Map<String, Function<Derived, Object>> derived = Map.of("id", Derived::id, "auth_ha1", Derived::ha1, "cidrs",
				d -> d.networks().cidrs(), "ranges_v4", d -> d.networks().v4(), "ranges_v6", d -> d.networks().v6(),
				"tls_ca_fingerprint", Derived::caFingerprint);
		List<PublishedField> fields = new ArrayList<>();
		derived.forEach((name, value) -> fields.add(new PublishedField(name, null, value)));
		try {
			JsonSerializer<Object> serializer = CanonicalJson.MAPPER.getSerializerProviderInstance()
				.findValueSerializer(TrunkSpec.class);
			serializer.properties().forEachRemaining(property -> {
				if (NEVER_PUBLISHED.contains(property.getName())) {
					return;
				}
				String name = RENAMED.getOrDefault(property.getName(), property.getName());
				if (DERIVED.contains(name) || !(property instanceof BeanPropertyWriter writer)) {
					throw new IllegalStateException("spec field " + property.getName()
							+ " cannot be published as it is: name it in NEVER_PUBLISHED or RENAMED");
				}
				fields.add(new PublishedField(name, writer.rename(new Renamed(name)), null));
			});
		}
		catch (JsonMappingException ex) {
			throw new IllegalStateException("TrunkSpec is not serialisable", ex);
		}
		if (!derived.keySet().stream().allMatch(name -> DERIVED.contains(name))) {
			throw new IllegalStateException("DERIVED lists every derived field");
		}
		fields.sort(Comparator.comparing(PublishedField::name));
		return List.copyOf(fields);
	}

	/** Jackson's way to give a property writer another name. */
	private static final class Renamed extends NameTransformer {

		private final String name;

		Renamed(String name) {
			this.name = name;
		}

		@Override
		public String transform(String original) {
			return name;
		}

		@Override
		public String reverse(String transformed) {
			return null;
		}

	}

	private record Networks(List<String> cidrs, List<List<Long>> v4, List<List<String>> v6) {
	}

	private static Networks networks(long id, TrunkSpec spec) {
		Set<String> cidrs = new LinkedHashSet<>();
		List<List<Long>> rangesV4 = new ArrayList<>();
		List<List<String>> rangesV6 = new ArrayList<>();
		for (String text : spec.allowedIps()) {
			Network network;
			try {
				network = network(text);
			}
			catch (IllegalArgumentException ex) {
				// Validated on save, so only a row edited behind the service's back gets
				// here; leaving the entry out narrows the trunk, it never widens it.
				log.warn("Trunk {} ({}): allowed IP entry left out of the generation: {}", id, LogSafe.of(spec.name()),
						LogSafe.of(ex.getMessage()));
				continue;
			}
			if (!cidrs.add(network.cidr())) {
				continue;
			}
			if (network.v4() != null) {
				rangesV4.add(network.v4());
			}
			else {
				rangesV6.add(network.v6());
			}
		}
		return new Networks(List.copyOf(cidrs), rangesV4, rangesV6);
	}

	/** An allowed IP entry as published: its normal form and its range. */
	private record Network(String cidr, List<Long> v4, List<String> v6) {
	}

	/**
	 * Parsed networks by entry text: parsing (JDK address parsing, BigInteger ranges) was
	 * ~40% of building a trunk, and entries repeat from build to build. Bounded: cleared
	 * when full.
	 */
	private static final Map<String, Network> NETWORKS = new ConcurrentHashMap<>();

	private static final int MAX_NETWORKS = 100_000;

	private static Network network(String text) {
		Network known = NETWORKS.get(text);
		if (known != null) {
			return known;
		}
		Cidr cidr = Cidr.parse(text);
		Network network = cidr.isIpv4()
				? new Network(cidr.toString(), List.of(cidr.low().longValueExact(), cidr.high().longValueExact()), null)
				: new Network(cidr.toString(), null, List.of(hex128(cidr.low()), hex128(cidr.high())));
		if (NETWORKS.size() >= MAX_NETWORKS) {
			NETWORKS.clear();
		}
		NETWORKS.put(text, network);
		return network;
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
