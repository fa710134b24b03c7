package com.telpro.control.trunk;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** A trunk as the API returns it: never the password, only whether one is stored. */
public record TrunkResponse(long id, long version, String name, boolean enabled, int priority,
		Set<IdentifyMethod> identifyBy, List<String> allowedIps, String fromDomainPattern, String userAgentPattern,
		AuthMethod authMethod, String authRealm, String authUser, boolean authPassSet, SrtpMode srtpMode,
		boolean symmetricRtp, boolean requireTls, boolean verifyPeer, boolean requireClientCert,
		PeerNameVerification peerNameVerification, String tlsRemoteSubjectName, Long tlsCaSecretId,
		String uniqueIdHeader, @JsonProperty("is_internal") boolean isInternal,
		@JsonProperty("requires_x_call") boolean requiresXCall, int maxConcurrentCalls, int maxCallsPerSecond,
		Integer limitResponse, List<String> codecPreferences,
		Instant createdAt, Instant updatedAt,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Schema(accessMode = Schema.AccessMode.READ_ONLY,
				description = "live calls and calls per second from the edges (GET /api/trunks/{id} only)") TrunkLoad load) {

	static TrunkResponse of(Trunk t) {
		return new TrunkResponse(t.getId(), t.getVersion(), t.getName(), t.isEnabled(), t.getPriority(),
				new TreeSet<>(t.getIdentifyBy()), List.copyOf(t.getAllowedIps()), t.getFromDomainPattern(),
				t.getUserAgentPattern(), t.getAuthMethod(), t.getAuthRealm(), t.getAuthUser(), t.isAuthPassSet(),
				t.getSrtpMode(), t.isSymmetricRtp(), t.isRequireTls(), t.isVerifyPeer(), t.isRequireClientCert(),
				t.getPeerNameVerification(), t.getTlsRemoteSubjectName(), t.getTlsCaSecretId(), t.getUniqueIdHeader(),
				t.isInternal(), t.isRequiresXCall(), t.getMaxConcurrentCalls(), t.getMaxCallsPerSecond(), t.getLimitResponse(), List.copyOf(t.getCodecPreferences()),
				t.getCreatedAt(), t.getUpdatedAt(), null);
	}

	/** This trunk with its live figures. */
	public TrunkResponse withLoad(TrunkLoad value) {
		return new TrunkResponse(id, version, name, enabled, priority, identifyBy, allowedIps, fromDomainPattern,
				userAgentPattern, authMethod, authRealm, authUser, authPassSet, srtpMode, symmetricRtp, requireTls,
				verifyPeer, requireClientCert, peerNameVerification, tlsRemoteSubjectName, tlsCaSecretId, uniqueIdHeader,
				isInternal, requiresXCall, maxConcurrentCalls, maxCallsPerSecond, limitResponse, codecPreferences,
				createdAt, updatedAt, value);
	}

}
