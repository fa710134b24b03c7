package com.telpro.control.sync;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The edge's trunk identification ({@code kamailio/js/loader.js} validation and
 * {@code kamailio/js/identify.js} matching) in Java, over the trunks of a generation
 * document as JSON. Kept equal to the edge by {@code MatchParityTests}, which sends
 * generated requests to a real Kamailio and compares the trunk it names with this class's
 * answer. Patterns are portable by construction ({@code PortableRegex}): a pattern means
 * the same in Java and in the edge's ECMAScript engine, and both search (unanchored
 * unless the pattern anchors itself).
 */
final class EdgeMatcher {

	private static final Set<String> IDENTIFY_METHODS = Set.of("source_ip", "from_domain", "user_agent");

	private static final Set<String> AUTH_METHODS = Set.of("ip_only", "digest", "ip_and_digest");

	private static final Set<String> SRTP_MODES = Set.of("disabled", "prefer", "require");

	private static final Set<String> PEER_NAME_MODES = Set.of("disabled", "enabled");

	private static final Pattern HEX32 = Pattern.compile("^[0-9a-f]{32}$");

	private static final Pattern HEADER_NAME = Pattern.compile("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$");

	private static final Pattern CODEC_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]*$");

	private static final Pattern BAD_NAME = Pattern.compile("[\\r\\n\\x00]");

	private static final long MAX_V4 = 4294967295L;

	private EdgeMatcher() {
	}

	/** The caller's facts as the edge reads them: $si, $fd (lower case), $ua. */
	record Caller(InetAddress source, String sourceText, String fromHost, String userAgent) {
	}

	/**
	 * One trunk as the edge holds it after validation, or the reason the edge refuses it.
	 */
	record EdgeTrunk(JsonNode json, long id, String name, int priority, boolean identifyByIp, long[] v4, String[] v6,
			Pattern fromDomain, String fromDomainText, Pattern userAgent, String userAgentText, String refusal) {

		boolean refused() {
			return refusal != null;
		}

	}

	/** Why one trunk did not take the call. */
	record Miss(EdgeTrunk trunk, String reason) {
	}

	record Outcome(EdgeTrunk trunk, List<Miss> tried) {
	}

	/**
	 * The trunks of a document in its (priority) order, each validated as the edge's sync
	 * timer does.
	 */
	static List<EdgeTrunk> load(JsonNode trunks, Map<String, String> refusedByEdge) {
		List<EdgeTrunk> out = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (JsonNode t : trunks) {
			String name = t.path("name").isTextual() ? t.path("name").asText() : null;
			EdgeTrunk trunk;
			if (name != null && names.contains(name)) {
				trunk = refusedTrunk(t, name, "duplicate name");
			}
			else {
				try {
					trunk = validate(t);
					names.add(name);
				}
				catch (Refused ex) {
					trunk = refusedTrunk(t, name, ex.getMessage());
				}
			}
			String reported = name == null ? null : refusedByEdge.get(name);
			if (!trunk.refused() && reported != null) {
				trunk = refusedTrunk(t, name, reported);
			}
			out.add(trunk);
		}
		return out;
	}

	/**
	 * The first trunk in order that identifies the caller, and every trunk before it with
	 * its miss.
	 */
	static Outcome match(List<EdgeTrunk> trunks, Caller caller) {
		List<Miss> tried = new ArrayList<>();
		for (EdgeTrunk t : trunks) {
			String miss = miss(t, caller);
			if (miss == null) {
				return new Outcome(t, tried);
			}
			tried.add(new Miss(t, miss));
		}
		return new Outcome(null, tried);
	}

	/** Null when the trunk identifies the caller, else why not. */
	static String miss(EdgeTrunk t, Caller caller) {
		if (t.refused()) {
			return "not loaded by the edge: " + t.refusal();
		}
		if (t.identifyByIp() && !sourceInTrunk(t, caller)) {
			return "source " + caller.sourceText() + " is not in its allowed IPs";
		}
		if (t.fromDomain() != null) {
			if (caller.fromHost() == null) {
				return "the request has no From domain";
			}
			if (!t.fromDomain().matcher(caller.fromHost()).find()) {
				return "From domain '" + caller.fromHost() + "' does not match /" + t.fromDomainText() + "/";
			}
		}
		if (t.userAgent() != null) {
			if (caller.userAgent() == null) {
				return "the request has no User-Agent";
			}
			if (!t.userAgent().matcher(caller.userAgent()).find()) {
				return "User-Agent '" + caller.userAgent() + "' does not match /" + t.userAgentText() + "/";
			}
		}
		return null;
	}

	static boolean sourceInTrunk(EdgeTrunk t, Caller caller) {
		byte[] a = caller.source().getAddress();
		if (a.length == 4) {
			long ip = ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
			for (int i = 0; i < t.v4().length; i += 2) {
				if (ip >= t.v4()[i] && ip <= t.v4()[i + 1]) {
					return true;
				}
			}
			return false;
		}
		String ip = HexFormat.of().formatHex(a);
		for (int i = 0; i < t.v6().length; i += 2) {
			if (ip.compareTo(t.v6()[i]) >= 0 && ip.compareTo(t.v6()[i + 1]) <= 0) {
				return true;
			}
		}
		return false;
	}

	// ------------------------------------------------------------------ validation
	// (js/loader.js compactTrunk)

	private static final class Refused extends RuntimeException {

		Refused(String reason) {
			super(reason, null, false, false);
		}

	}

	private static EdgeTrunk refusedTrunk(JsonNode t, String name, String reason) {
		return new EdgeTrunk(t, t.path("id").asLong(), name, t.path("priority").asInt(), false, new long[0],
				new String[0], null, null, null, null, reason);
	}

	private static boolean isNull(JsonNode v) {
		return v == null || v.isMissingNode() || v.isNull();
	}

	private static String optionalString(JsonNode t, String field) {
		JsonNode v = t.get(field);
		if (isNull(v) || (v.isTextual() && v.asText().isEmpty())) {
			return null;
		}
		if (!v.isTextual()) {
			throw new Refused(field + " must be a string or null");
		}
		return v.asText();
	}

	private static boolean flag(JsonNode t, String field) {
		JsonNode v = t.get(field);
		if (isNull(v)) {
			return false;
		}
		if (!v.isBoolean()) {
			throw new Refused(field + " must be a boolean");
		}
		return v.asBoolean();
	}

	private static EdgeTrunk validate(JsonNode t) {
		if (!t.isObject()) {
			throw new Refused("not an object");
		}
		JsonNode nameNode = t.get("name");
		if (isNull(nameNode) || !nameNode.isTextual() || nameNode.asText().isEmpty()
				|| BAD_NAME.matcher(nameNode.asText()).find()) {
			throw new Refused("name must be a non-empty single-line string");
		}
		Set<String> identify = identifyMethods(t);
		String auth = t.path("auth_method").isTextual() ? t.path("auth_method").asText() : null;
		if (auth == null || !AUTH_METHODS.contains(auth)) {
			throw new Refused("unknown auth_method");
		}
		JsonNode srtp = t.get("srtp_mode");
		if (!isNull(srtp) && !(srtp.isTextual() && SRTP_MODES.contains(srtp.asText()))) {
			throw new Refused("unknown srtp_mode");
		}
		JsonNode peer = t.get("peer_name_verification");
		if (!isNull(peer) && !(peer.isTextual() && PEER_NAME_MODES.contains(peer.asText()))) {
			throw new Refused("unknown peer_name_verification");
		}
		JsonNode max = t.get("max_concurrent_calls");
		if (!isNull(max) && !(max.isNumber() && max.asDouble() % 1 == 0 && max.asDouble() >= 0)) {
			throw new Refused("max_concurrent_calls must be an integer >= 0");
		}
		long[] v4 = rangesV4(t.get("ranges_v4"));
		String[] v6 = rangesV6(t.get("ranges_v6"));
		String fromText = identify.contains("from_domain") ? pattern(t, "from_domain_pattern") : null;
		String uaText = identify.contains("user_agent") ? pattern(t, "user_agent_pattern") : null;
		optionalString(t, "auth_realm");
		flag(t, "require_tls");
		flag(t, "verify_peer");
		flag(t, "require_client_cert");
		optionalString(t, "tls_remote_subject_name");
		optionalString(t, "tls_ca_fingerprint");
		String uniqueIdHeader = optionalString(t, "unique_id_header");
		flag(t, "is_internal");
		flag(t, "requires_x_call");
		flag(t, "symmetric_rtp");
		codecs(t.get("codecs"));
		boolean needsIp = identify.contains("source_ip") || !"digest".equals(auth);
		if (needsIp && v4.length == 0 && v6.length == 0) {
			throw new Refused("source IP ranges are required by identify_by or auth_method");
		}
		if (uniqueIdHeader != null && !HEADER_NAME.matcher(uniqueIdHeader).matches()) {
			throw new Refused("unique_id_header is not a header name");
		}
		if (!"ip_only".equals(auth)) {
			digestCredentials(t, optionalString(t, "auth_realm"));
		}
		return new EdgeTrunk(t, t.path("id").asLong(), nameNode.asText(), t.path("priority").asInt(),
				identify.contains("source_ip"), v4, v6, fromText == null ? null : Pattern.compile(fromText), fromText,
				uaText == null ? null : Pattern.compile(uaText), uaText, null);
	}

	private static Set<String> identifyMethods(JsonNode t) {
		JsonNode list = t.get("identify_by");
		if (isNull(list) || !list.isArray() || list.isEmpty()) {
			throw new Refused("identify_by must be a non-empty array");
		}
		Set<String> methods = new HashSet<>();
		for (JsonNode m : list) {
			if (!m.isTextual() || !IDENTIFY_METHODS.contains(m.asText())) {
				throw new Refused("unknown identify_by method");
			}
			methods.add(m.asText());
		}
		return methods;
	}

	private static String pattern(JsonNode t, String field) {
		String p = optionalString(t, field);
		if (p == null) {
			throw new Refused(field + " is required by identify_by");
		}
		try {
			Pattern.compile(p);
		}
		catch (PatternSyntaxException ex) {
			throw new Refused(field + " does not compile");
		}
		return p;
	}

	private static boolean isUint32(JsonNode n) {
		return n.isIntegralNumber() && n.asLong() >= 0 && n.asLong() <= MAX_V4;
	}

	private static long[] rangesV4(JsonNode list) {
		if (isNull(list)) {
			return new long[0];
		}
		if (!list.isArray()) {
			throw new Refused("ranges_v4 must be an array");
		}
		long[] flat = new long[list.size() * 2];
		for (int i = 0; i < list.size(); i++) {
			JsonNode r = list.get(i);
			if (!r.isArray() || r.size() != 2 || !isUint32(r.get(0)) || !isUint32(r.get(1))
					|| r.get(0).asLong() > r.get(1).asLong()) {
				throw new Refused("bad IPv4 range at ranges_v4[" + i + "]");
			}
			flat[2 * i] = r.get(0).asLong();
			flat[2 * i + 1] = r.get(1).asLong();
		}
		return flat;
	}

	private static String[] rangesV6(JsonNode list) {
		if (isNull(list)) {
			return new String[0];
		}
		if (!list.isArray()) {
			throw new Refused("ranges_v6 must be an array");
		}
		String[] flat = new String[list.size() * 2];
		for (int i = 0; i < list.size(); i++) {
			JsonNode r = list.get(i);
			if (!r.isArray() || r.size() != 2 || !r.get(0).isTextual() || !r.get(1).isTextual()
					|| !HEX32.matcher(r.get(0).asText()).matches() || !HEX32.matcher(r.get(1).asText()).matches()
					|| r.get(0).asText().compareTo(r.get(1).asText()) > 0) {
				throw new Refused("bad IPv6 range at ranges_v6[" + i + "]");
			}
			flat[2 * i] = r.get(0).asText();
			flat[2 * i + 1] = r.get(1).asText();
		}
		return flat;
	}

	private static void codecs(JsonNode list) {
		if (isNull(list)) {
			return;
		}
		if (!list.isArray()) {
			throw new Refused("codecs must be an array");
		}
		for (int i = 0; i < list.size(); i++) {
			JsonNode c = list.get(i);
			if (!c.isTextual() || !CODEC_NAME.matcher(c.asText()).matches()) {
				throw new Refused("codecs[" + i + "] is not a codec name");
			}
		}
	}

	private static void digestCredentials(JsonNode t, String realm) {
		if (optionalString(t, "auth_user") == null) {
			throw new Refused("auth_user is required for digest");
		}
		JsonNode given = t.get("auth_ha1");
		if (isNull(given) || !given.isObject()) {
			throw new Refused("auth_ha1 is required for digest");
		}
		int count = 0;
		for (var it = given.fields(); it.hasNext();) {
			var e = it.next();
			if (!e.getValue().isTextual() || !HEX32.matcher(e.getValue().asText()).matches()) {
				throw new Refused("auth_ha1 entry is not 32 hex digits");
			}
			count++;
		}
		if (realm != null ? !given.has(realm) : count == 0) {
			throw new Refused("missing HA1 for the digest realm");
		}
	}

	/**
	 * $fd of a From URI or header value: the host, lower case, IPv6 with its brackets;
	 * null if none.
	 */
	static String fromHost(String from) {
		if (from == null || from.isBlank()) {
			return null;
		}
		String s = from.strip();
		int lt = s.indexOf('<');
		if (lt >= 0) {
			int gt = s.indexOf('>', lt);
			s = s.substring(lt + 1, gt < 0 ? s.length() : gt);
		}
		int colon = s.indexOf(':');
		if (colon < 0) {
			return null;
		}
		String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
		if (!scheme.equals("sip") && !scheme.equals("sips") && !scheme.equals("tel")) {
			return null;
		}
		s = s.substring(colon + 1);
		int at = s.lastIndexOf('@', firstOf(s, ";?>"));
		String hostPort = at >= 0 ? s.substring(at + 1) : s;
		int end;
		if (hostPort.startsWith("[")) {
			end = hostPort.indexOf(']') + 1;
			if (end <= 0) {
				return null;
			}
		}
		else {
			end = firstOf(hostPort, ":;?>");
		}
		String host = hostPort.substring(0, end);
		return host.isEmpty() ? null : host.toLowerCase(Locale.ROOT);
	}

	private static int firstOf(String s, String chars) {
		for (int i = 0; i < s.length(); i++) {
			if (chars.indexOf(s.charAt(i)) >= 0) {
				return i;
			}
		}
		return s.length();
	}

}
