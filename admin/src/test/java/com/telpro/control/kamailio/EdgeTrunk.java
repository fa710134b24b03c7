package com.telpro.control.kamailio;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

import com.telpro.control.trunk.AuthMethod;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.SrtpMode;
import com.telpro.control.trunk.Trunk;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * A trunk as the admin service stores it, set up in the contract's words (wire names and
 * values); {@code sync/GenerationWriter} publishes it through the service's own
 * generation builder, so the proxy reads exactly what the service would write. An ip_only
 * trunk identified by its source address until told otherwise.
 */
final class EdgeTrunk {

	private final Trunk trunk = new Trunk();

	private EdgeTrunk(String name, int priority) {
		ReflectionTestUtils.setField(trunk, "id", (long) Math.abs(name.hashCode() % 100000));
		trunk.setName(name);
		trunk.setPriority(priority);
		trunk.setIdentifyBy(EnumSet.of(IdentifyMethod.SOURCE_IP));
	}

	static EdgeTrunk named(String name, int priority) {
		return new EdgeTrunk(name, priority);
	}

	/** The trunk's id in the document and in the edge's Redis keys. */
	long id() {
		return trunk.getId();
	}

	EdgeTrunk identifyBy(String... methods) {
		trunk.setIdentifyBy(Arrays.stream(methods)
			.map(IdentifyMethod::fromWire)
			.collect(Collectors.toCollection(() -> EnumSet.noneOf(IdentifyMethod.class))));
		return this;
	}

	/** The allowed addresses; the builder derives the ranges the edge matches. */
	EdgeTrunk cidrs(String... cidrs) {
		trunk.setAllowedIps(List.of(cidrs));
		return this;
	}

	EdgeTrunk fromDomain(String pattern) {
		trunk.setFromDomainPattern(pattern);
		return this;
	}

	EdgeTrunk userAgent(String pattern) {
		trunk.setUserAgentPattern(pattern);
		return this;
	}

	/**
	 * Digest credentials; the builder publishes HA1 = md5(user:realm:password) for the
	 * realm, or without one for each domain the From-domain pattern names literally.
	 */
	EdgeTrunk digest(String method, String realm, String user, String password) {
		trunk.setAuthMethod(AuthMethod.fromWire(method));
		trunk.setAuthRealm(realm);
		trunk.setAuthUser(user);
		trunk.setAuthPass(password);
		return this;
	}

	/** One more field by its name in the document. */
	@SuppressWarnings("unchecked")
	EdgeTrunk set(String field, Object value) {
		switch (field) {
			case "codecs" -> trunk.setCodecPreferences((List<String>) value);
			case "strip_headers" -> trunk.setStripHeaders((List<String>) value);
			case "srtp_mode" -> trunk.setSrtpMode(SrtpMode.fromWire((String) value));
			case "symmetric_rtp" -> trunk.setSymmetricRtp((Boolean) value);
			case "require_tls" -> trunk.setRequireTls((Boolean) value);
			case "is_internal" -> trunk.setInternal((Boolean) value);
			case "requires_x_call" -> trunk.setRequiresXCall((Boolean) value);
			case "unique_id_header" -> trunk.setUniqueIdHeader((String) value);
			case "max_concurrent_calls" -> trunk.setMaxConcurrentCalls((Integer) value);
			case "max_calls_per_second" -> trunk.setMaxCallsPerSecond((Integer) value);
			case "limit_response" -> trunk.setLimitResponse((Integer) value);
			default -> throw new IllegalArgumentException("EdgeTrunk does not set " + field + " yet");
		}
		return this;
	}

	Trunk trunk() {
		return trunk;
	}

}
