package com.telpro.control.trunk;

import java.util.Collections;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * A trunk as a client writes it, for create and for replace (PUT). An omitted field takes the
 * spec's default, on replace too, except {@code auth_pass}: omitted or empty keeps the stored
 * password. The password is cleared by switching to {@code ip_only}. Fields that the selected
 * methods do not use are not stored (a From-domain pattern without {@code from_domain}
 * identification, digest credentials on an {@code ip_only} trunk, a subject name with peer name
 * verification disabled, a CA when neither peer verification nor client certificates are on).
 * The read-only fields of a response are accepted and ignored, so a fetched trunk can be sent back.
 */
@JsonIgnoreProperties({ "id", "auth_pass_set", "created_at", "updated_at", "load" })
public record TrunkRequest(
		@Schema(example = "Twilio production", requiredMode = Schema.RequiredMode.REQUIRED)
		@NotBlank(message = "is required") @Size(max = 100) String name,
		@Schema(defaultValue = "true") Boolean enabled,
		@Schema(defaultValue = "50", description = "0-1000, lower is checked first") @Min(0) @Max(1000) Integer priority,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "source_ip, from_domain, user_agent; all must match")
		@NotEmpty(message = "choose at least one identification method") Set<IdentifyMethod> identifyBy,
		@Schema(description = "CIDRs or single addresses; required with source_ip, ip_only and ip_and_digest")
		@Size(max = 100) List<String> allowedIps,
		@Schema(example = ".*\\.twilio\\.com$") @Size(max = 500) String fromDomainPattern,
		@Size(max = 500) String userAgentPattern,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull(message = "is required") AuthMethod authMethod,
		@Schema(description = "empty: the From domain; then the From-domain pattern must name its domains literally")
		@Size(max = 255) String authRealm,
		@Size(max = 255) String authUser,
		@Schema(accessMode = Schema.AccessMode.WRITE_ONLY, description = "write-only; omitted or empty keeps the stored one")
		@Size(max = 128) String authPass,
		@Schema(defaultValue = "disabled") SrtpMode srtpMode,
		@Schema(defaultValue = "false") Boolean symmetricRtp,
		@Schema(defaultValue = "false") Boolean requireTls,
		@Schema(defaultValue = "false") Boolean verifyPeer,
		@Schema(defaultValue = "false") Boolean requireClientCert,
		@Schema(defaultValue = "disabled") PeerNameVerification peerNameVerification,
		@Size(max = 255) String tlsRemoteSubjectName,
		@Schema(description = "id of a platform secret of purpose CA_CERT") @Positive Long tlsCaSecretId,
		@Schema(example = "X-Twilio-CallSid") @Size(max = 100) String uniqueIdHeader,
		@JsonProperty("is_internal") @Schema(defaultValue = "false") Boolean isInternal,
		@JsonProperty("requires_x_call") @Schema(defaultValue = "false") Boolean requiresXCall,
		@Schema(defaultValue = "0", description = "0 = unlimited") @Min(0) @Max(100000) Integer maxConcurrentCalls,
		@Schema(defaultValue = "0", description = "new calls per second across all edges; 0 = unlimited")
		@Min(0) @Max(10000) Integer maxCallsPerSecond,
		@Schema(description = "status for a caller over a limit: 486, 480 or 503; null = 486 for max_concurrent_calls, 503 with Retry-After for max_calls_per_second")
		Integer limitResponse,
		@Schema(defaultValue = "[\"PCMA\", \"PCMU\"]") @Size(max = 20) List<String> codecPreferences,
		@Schema(description = "required on replace: the version the change is based on") Long version) {

	/** This request with every omitted field set to its default, as it will be validated and stored. */
	public TrunkRequest withDefaults() {
		return new TrunkRequest(name, or(enabled, true), or(priority, Trunk.DEFAULT_PRIORITY),
				identifyBy == null ? Collections.emptySet() : identifyBy, allowedIps == null ? List.of() : allowedIps,
				fromDomainPattern, userAgentPattern, authMethod, authRealm, authUser, authPass,
				or(srtpMode, SrtpMode.DISABLED), or(symmetricRtp, false), or(requireTls, false), or(verifyPeer, false),
				or(requireClientCert, false), or(peerNameVerification, PeerNameVerification.DISABLED),
				tlsRemoteSubjectName, tlsCaSecretId, uniqueIdHeader, or(isInternal, false), or(requiresXCall, false),
				or(maxConcurrentCalls, 0), or(maxCallsPerSecond, 0), limitResponse, codecPreferences == null ? Trunk.DEFAULT_CODECS : codecPreferences, version);
	}

	/** This request with a password: the stored one when the client kept it. */
	public TrunkRequest withAuthPass(String password) {
		return new TrunkRequest(name, enabled, priority, identifyBy, allowedIps, fromDomainPattern, userAgentPattern,
				authMethod, authRealm, authUser, password, srtpMode, symmetricRtp, requireTls, verifyPeer,
				requireClientCert, peerNameVerification, tlsRemoteSubjectName, tlsCaSecretId, uniqueIdHeader, isInternal,
				requiresXCall, maxConcurrentCalls, maxCallsPerSecond, limitResponse, codecPreferences, version);
	}

	@Override
	public String toString() {
		// Records print every component; this one must never print the password.
		return "TrunkRequest[name=" + name + ", version=" + version + "]";
	}

	private static <T> T or(T value, T fallback) {
		return value == null ? fallback : value;
	}

}
