package com.telpro.control.sync;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the edge demands of a request once a trunk identified it, in the order it checks
 * ({@code js/main.js}: TLS, authentication, X-Call, limits, media), and where the facts
 * given already decide the outcome, the reason code it would answer with
 * (kamailio/REASON-CODES.md).
 */
final class TrunkDemands {

	private TrunkDemands() {
	}

	static List<String> of(JsonNode t, MatchService.Facts facts) {
		List<String> then = new ArrayList<>();
		tls(t, facts, then);
		auth(t, facts, then);
		if (t.path("requires_x_call").asBoolean()) {
			then.add(
					"an INVITE must carry an X-Call-ID the admin service created (else 403 xcall_missing / xcall_unknown)");
		}
		int max = t.path("max_concurrent_calls").asInt();
		if (max > 0) {
			then.add("at most " + max + " concurrent calls (then 486 limit_concurrent)");
		}
		String srtp = t.path("srtp_mode").asText("disabled");
		if ("require".equals(srtp)) {
			then.add("the offer must be SRTP with keys (else 488 srtp_required)");
		}
		if (t.path("codecs").isArray() && !t.path("codecs").isEmpty()) {
			List<String> codecs = new ArrayList<>();
			t.path("codecs").forEach(c -> codecs.add(c.asText()));
			then.add("offered audio must include one of " + String.join(", ", codecs)
					+ " when media is relayed (else 488 codec_not_allowed)");
		}
		then.add("relayed to the backend with X-Telpro-Trunk: " + t.path("name").asText());
		return then;
	}

	private static void tls(JsonNode t, MatchService.Facts facts, List<String> then) {
		boolean verifyPeer = t.path("verify_peer").asBoolean();
		boolean clientCert = t.path("require_client_cert").asBoolean();
		boolean peerName = "enabled".equals(t.path("peer_name_verification").asText());
		boolean needsCertificate = verifyPeer || clientCert || peerName;
		if (!t.path("require_tls").asBoolean() && !needsCertificate) {
			return;
		}
		if (!"tls".equals(facts.transport())) {
			then.add("TLS: the request came over " + facts.transport().toUpperCase()
					+ ": 403 TLS Required (tls_required)");
			return;
		}
		then.add("TLS: required and used");
		if (!needsCertificate) {
			return;
		}
		if (facts.certificate() == null) {
			then.add("a verified client certificate is required (no certificate given: 403 client_cert_missing)");
			return;
		}
		if (verifyPeer || clientCert) {
			String fp = t.path("tls_ca_fingerprint").asText(null);
			then.add("the certificate's chain must pass through the trunk's CA"
					+ (fp == null ? " (none is set: 403 cert_not_from_trunk_ca)" : " (SHA-256 " + fp + ")"));
		}
		if (peerName) {
			String expected = t.path("tls_remote_subject_name").asText("");
			String cn = MatchService.commonName(facts.certificate());
			boolean ok = cn != null && !expected.isEmpty() && cn.equalsIgnoreCase(expected);
			then.add("the certificate's CN must be '" + expected + "': it is '" + cn + "'"
					+ (ok ? "" : ": 403 peer_name_mismatch"));
		}
	}

	private static void auth(JsonNode t, MatchService.Facts facts, List<String> then) {
		String auth = t.path("auth_method").asText();
		if (!"digest".equals(auth)) {
			boolean inside = EdgeMatcher.sourceInTrunk(EdgeMatcher.load(wrap(t), java.util.Map.of()).get(0),
					new EdgeMatcher.Caller(facts.source(), facts.sourceText(), facts.fromHost(), facts.userAgent()));
			then.add(inside ? "source " + facts.sourceText() + " is in the allowed IPs"
					: "source " + facts.sourceText() + " is outside the allowed IPs: 403 source_not_allowed");
			if (!inside) {
				return;
			}
		}
		if ("ip_only".equals(auth)) {
			return;
		}
		String realm = t.path("auth_realm").isTextual() ? t.path("auth_realm").asText() : facts.fromHost();
		if (realm == null || !t.path("auth_ha1").has(realm)) {
			then.add("digest: no credentials for realm '" + realm + "': 403 auth_failed");
			return;
		}
		then.add("digest: 407 challenge with realm \"" + realm + "\", then user '" + t.path("auth_user").asText()
				+ "' and the trunk's password");
	}

	private static JsonNode wrap(JsonNode t) {
		return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(t);
	}

}
