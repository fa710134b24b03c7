package com.telpro.control.sync;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One trunk of a generation document: exactly the fields of the contract's table,
 * serialised with its keys in ascending order (the canonical form). {@code hash} is
 * absent while the hash itself is computed.
 */
@JsonPropertyOrder(alphabetic = true)
record PublishedTrunk(@JsonProperty("auth_ha1") Map<String, String> authHa1,
		@JsonProperty("auth_method") String authMethod, @JsonProperty("auth_realm") String authRealm,
		@JsonProperty("auth_user") String authUser, @JsonProperty("cidrs") List<String> cidrs,
		@JsonProperty("codecs") List<String> codecs, @JsonProperty("from_domain_pattern") String fromDomainPattern,
		@JsonProperty("hash") @JsonInclude(JsonInclude.Include.NON_NULL) String hash, @JsonProperty("id") long id,
		@JsonProperty("identify_by") List<String> identifyBy, @JsonProperty("is_internal") boolean isInternal,
		@JsonProperty("limit_response") Integer limitResponse,
		@JsonProperty("max_calls_per_second") int maxCallsPerSecond,
		@JsonProperty("max_concurrent_calls") int maxConcurrentCalls, @JsonProperty("name") String name,
		@JsonProperty("peer_name_verification") String peerNameVerification, @JsonProperty("priority") int priority,
		@JsonProperty("ranges_v4") List<List<Long>> rangesV4, @JsonProperty("ranges_v6") List<List<String>> rangesV6,
		@JsonProperty("require_client_cert") boolean requireClientCert, @JsonProperty("require_tls") boolean requireTls,
		@JsonProperty("requires_x_call") boolean requiresXCall, @JsonProperty("srtp_mode") String srtpMode,
		@JsonProperty("strip_headers") List<String> stripHeaders, @JsonProperty("symmetric_rtp") boolean symmetricRtp,
		@JsonProperty("tls_ca_fingerprint") String tlsCaFingerprint,
		@JsonProperty("tls_remote_subject_name") String tlsRemoteSubjectName,
		@JsonProperty("unique_id_header") String uniqueIdHeader,
		@JsonProperty("user_agent_pattern") String userAgentPattern, @JsonProperty("verify_peer") boolean verifyPeer) {

	PublishedTrunk withHash(String value) {
		return new PublishedTrunk(authHa1, authMethod, authRealm, authUser, cidrs, codecs, fromDomainPattern, value, id,
				identifyBy, isInternal, limitResponse, maxCallsPerSecond, maxConcurrentCalls, name,
				peerNameVerification, priority, rangesV4, rangesV6, requireClientCert, requireTls, requiresXCall,
				srtpMode, stripHeaders, symmetricRtp, tlsCaFingerprint, tlsRemoteSubjectName, uniqueIdHeader,
				userAgentPattern, verifyPeer);
	}

}
