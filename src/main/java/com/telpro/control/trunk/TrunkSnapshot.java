package com.telpro.control.trunk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A trunk's state for the audit log, in the API's field names, with the password masked. */
final class TrunkSnapshot {

	static final String MASK = "***";

	private TrunkSnapshot() {
	}

	static Map<String, Object> of(Trunk t) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("id", t.getId());
		map.put("version", t.getVersion());
		map.put("name", t.getName());
		map.put("enabled", t.isEnabled());
		map.put("priority", t.getPriority());
		map.put("identify_by", new TreeSet<>(t.getIdentifyBy()).stream().map(IdentifyMethod::wire).toList());
		map.put("allowed_ips", List.copyOf(t.getAllowedIps()));
		map.put("from_domain_pattern", t.getFromDomainPattern());
		map.put("user_agent_pattern", t.getUserAgentPattern());
		map.put("auth_method", t.getAuthMethod().wire());
		map.put("auth_realm", t.getAuthRealm());
		map.put("auth_user", t.getAuthUser());
		map.put("auth_pass", t.isAuthPassSet() ? MASK : null);
		map.put("srtp_mode", t.getSrtpMode().wire());
		map.put("symmetric_rtp", t.isSymmetricRtp());
		map.put("require_tls", t.isRequireTls());
		map.put("verify_peer", t.isVerifyPeer());
		map.put("require_client_cert", t.isRequireClientCert());
		map.put("peer_name_verification", t.getPeerNameVerification().wire());
		map.put("tls_remote_subject_name", t.getTlsRemoteSubjectName());
		map.put("tls_ca_secret_id", t.getTlsCaSecretId());
		map.put("unique_id_header", t.getUniqueIdHeader());
		map.put("is_internal", t.isInternal());
		map.put("requires_x_call", t.isRequiresXCall());
		map.put("max_concurrent_calls", t.getMaxConcurrentCalls());
		map.put("max_calls_per_second", t.getMaxCallsPerSecond());
		map.put("limit_response", t.getLimitResponse());
		map.put("codec_preferences", List.copyOf(t.getCodecPreferences()));
		return map;
	}

}
