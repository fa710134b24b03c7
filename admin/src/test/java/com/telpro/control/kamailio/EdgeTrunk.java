package com.telpro.control.kamailio;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trunk entry of the generation document exactly as REDIS-CONTRACT.md describes it,
 * built here without the admin service so the proxy is tested against the contract alone.
 */
final class EdgeTrunk {

	private final Map<String, Object> fields = new LinkedHashMap<>();

	private EdgeTrunk(String name, int priority) {
		fields.put("id", Math.abs(name.hashCode() % 100000));
		fields.put("name", name);
		fields.put("priority", priority);
		fields.put("hash", "0".repeat(64));
		fields.put("identify_by", List.of("source_ip"));
		fields.put("cidrs", List.of());
		fields.put("ranges_v4", List.of());
		fields.put("ranges_v6", List.of());
		fields.put("from_domain_pattern", null);
		fields.put("user_agent_pattern", null);
		fields.put("auth_method", "ip_only");
		fields.put("auth_realm", null);
		fields.put("auth_user", null);
		fields.put("auth_ha1", Map.of());
		fields.put("srtp_mode", "disabled");
		fields.put("symmetric_rtp", false);
		fields.put("require_tls", false);
		fields.put("verify_peer", false);
		fields.put("require_client_cert", false);
		fields.put("peer_name_verification", "disabled");
		fields.put("tls_remote_subject_name", null);
		fields.put("tls_ca_fingerprint", null);
		fields.put("unique_id_header", null);
		fields.put("is_internal", false);
		fields.put("requires_x_call", false);
		fields.put("max_concurrent_calls", 0);
		fields.put("codecs", List.of("PCMA", "PCMU"));
		fields.put("strip_headers", List.of());
	}

	static EdgeTrunk named(String name, int priority) {
		return new EdgeTrunk(name, priority);
	}

	EdgeTrunk identifyBy(String... methods) {
		fields.put("identify_by", List.of(methods));
		return this;
	}

	/** Sets cidrs and the ranges the admin service derives from them. */
	EdgeTrunk cidrs(String... cidrs) {
		List<List<Long>> v4 = new ArrayList<>();
		List<List<String>> v6 = new ArrayList<>();
		for (String cidr : cidrs) {
			String[] parts = cidr.split("/");
			byte[] address = address(parts[0]);
			int bits = address.length * 8;
			int prefix = Integer.parseInt(parts[1]);
			BigInteger value = new BigInteger(1, address);
			BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
			BigInteger lo = value.andNot(hostMask);
			BigInteger hi = lo.or(hostMask);
			if (bits == 32) {
				v4.add(List.of(lo.longValue(), hi.longValue()));
			}
			else {
				v6.add(List.of(String.format("%032x", lo), String.format("%032x", hi)));
			}
		}
		fields.put("cidrs", List.of(cidrs));
		fields.put("ranges_v4", v4);
		fields.put("ranges_v6", v6);
		return this;
	}

	EdgeTrunk fromDomain(String pattern) {
		fields.put("from_domain_pattern", pattern);
		return this;
	}

	EdgeTrunk userAgent(String pattern) {
		fields.put("user_agent_pattern", pattern);
		return this;
	}

	/**
	 * Digest credentials as published: HA1 = md5(user:realm:password) per realm, never
	 * the password.
	 */
	EdgeTrunk digest(String method, String realm, String user, String password, String... fromDomainRealms) {
		fields.put("auth_method", method);
		fields.put("auth_realm", realm);
		fields.put("auth_user", user);
		Map<String, String> ha1 = new LinkedHashMap<>();
		if (realm != null) {
			ha1.put(realm, md5(user + ":" + realm + ":" + password));
		}
		for (String r : fromDomainRealms) {
			ha1.put(r, md5(user + ":" + r + ":" + password));
		}
		fields.put("auth_ha1", ha1);
		return this;
	}

	EdgeTrunk set(String field, Object value) {
		fields.put(field, value);
		return this;
	}

	Map<String, Object> toMap() {
		return fields;
	}

	private static byte[] address(String literal) {
		try {
			return InetAddress.getByName(literal).getAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(literal, ex);
		}
	}

	private static String md5(String s) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
