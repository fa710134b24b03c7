package com.telpro.control.trunk;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.telpro.control.common.Texts;
import com.telpro.control.secret.EncryptedStringConverter;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * What an operator sets on a trunk: the one shape of a trunk from API body and form to
 * entity, audit snapshot and generation. The constructor applies the spec's defaults, so
 * an omitted field is its default everywhere, on replace too, except {@code auth_pass}:
 * omitted or empty keeps the stored password (it is write-only and never read back). The
 * predicates below say which fields the selected methods use; {@link TrunkValidator}
 * requires those and the entity stores only those. {@code version} is the version this
 * spec describes: returned on read, required on replace. The read-only fields of a
 * response are accepted and ignored, so a fetched trunk can be sent back.
 */
@JsonIgnoreProperties({ "id", "auth_pass_set", "created_at", "updated_at", "load" })
@Embeddable
public record TrunkSpec(@Schema(example = "Twilio production",
		requiredMode = Schema.RequiredMode.REQUIRED) @NotBlank(message = "is required") @Size(max = 100) String name,
		@Schema(defaultValue = "true") Boolean enabled,
		@Schema(defaultValue = "50",
				description = "0-1000, lower is checked first") @Min(0) @Max(1000) Integer priority,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
				description = "source_ip, from_domain, user_agent; all must match") @NotEmpty(
						message = "choose at least one identification method") @JdbcTypeCode(SqlTypes.JSON) Set<IdentifyMethod> identifyBy,
		@Schema(description = "CIDRs or single addresses; required with source_ip, ip_only and ip_and_digest") @Size(
				max = 100) @JdbcTypeCode(SqlTypes.JSON) List<String> allowedIps,
		@Schema(example = ".*\\.twilio\\.com$") @Size(max = 500) String fromDomainPattern,
		@Size(max = 500) String userAgentPattern,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull(message = "is required") @Convert(
				converter = WireEnumConverters.AuthMethodConverter.class) AuthMethod authMethod,
		@Schema(description = "empty: the From domain; then the From-domain pattern must name its domains literally") @Size(
				max = 255) String authRealm,
		@Size(max = 255) String authUser,
		@JsonProperty(access = JsonProperty.Access.WRITE_ONLY) @Schema(accessMode = Schema.AccessMode.WRITE_ONLY,
				description = "write-only; omitted or empty keeps the stored one") @Size(
						max = 128) @Column(name = "auth_pass_encrypted") @Convert(
								converter = EncryptedStringConverter.class) String authPass,
		@Schema(defaultValue = "disabled") @Convert(
				converter = WireEnumConverters.SrtpModeConverter.class) SrtpMode srtpMode,
		@Schema(defaultValue = "false") Boolean symmetricRtp, @Schema(defaultValue = "false") Boolean requireTls,
		@Schema(defaultValue = "false") Boolean verifyPeer, @Schema(defaultValue = "false") Boolean requireClientCert,
		@Schema(defaultValue = "disabled") @Convert(
				converter = WireEnumConverters.PeerNameVerificationConverter.class) PeerNameVerification peerNameVerification,
		@Size(max = 255) String tlsRemoteSubjectName,
		@Schema(description = "id of a platform secret of purpose CA_CERT") @Positive Long tlsCaSecretId,
		@Schema(example = "X-Twilio-CallSid") @Size(max = 100) String uniqueIdHeader,
		@JsonProperty("is_internal") @Schema(defaultValue = "false") Boolean isInternal,
		@JsonProperty("requires_x_call") @Column(name = "requires_x_call") @Schema(
				defaultValue = "false") Boolean requiresXCall,
		@Schema(defaultValue = "0", description = "0 = unlimited") @Min(0) @Max(100000) Integer maxConcurrentCalls,
		@Schema(defaultValue = "[\"PCMA\", \"PCMU\"]") @Size(
				max = 20) @JdbcTypeCode(SqlTypes.JSON) List<String> codecPreferences,
		@Schema(example = "[\"P-Asserted-Identity\"]",
				description = "header names the edge removes from this carrier's requests") @Size(
						max = 20) @JdbcTypeCode(SqlTypes.JSON) List<String> stripHeaders,
		@Schema(defaultValue = "0",
				description = "new calls per second across all edges; 0 = unlimited") @Min(0) @Max(10000) Integer maxCallsPerSecond,
		@Schema(description = "status for a caller over a limit: 486, 480 or 503; null = 486 for max_concurrent_calls, 503 with Retry-After for max_calls_per_second") Integer limitResponse,
		@Schema(description = "the version this trunk is at; required on replace: the version the change is based on") @Column(
				name = "version", insertable = false, updatable = false) Long version) {

	public static final int DEFAULT_PRIORITY = 50;

	public static final List<String> DEFAULT_CODECS = List.of("PCMA", "PCMU");

	/** The spec's defaults, applied once, here. */
	public TrunkSpec {
		enabled = or(enabled, true);
		priority = or(priority, DEFAULT_PRIORITY);
		identifyBy = identifyBy == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(identifyBy));
		allowedIps = or(allowedIps, List.of());
		srtpMode = or(srtpMode, SrtpMode.DISABLED);
		symmetricRtp = or(symmetricRtp, false);
		requireTls = or(requireTls, false);
		verifyPeer = or(verifyPeer, false);
		requireClientCert = or(requireClientCert, false);
		peerNameVerification = or(peerNameVerification, PeerNameVerification.DISABLED);
		isInternal = or(isInternal, false);
		requiresXCall = or(requiresXCall, false);
		maxConcurrentCalls = or(maxConcurrentCalls, 0);
		codecPreferences = or(codecPreferences, DEFAULT_CODECS);
		maxCallsPerSecond = or(maxCallsPerSecond, 0);
		stripHeaders = or(stripHeaders, List.of());
	}

	public boolean identifiesBy(IdentifyMethod method) {
		return identifyBy.contains(method);
	}

	/** Source addresses are checked: identified by source IP, or authorised by it. */
	public boolean needsSourceIp() {
		return identifiesBy(IdentifyMethod.SOURCE_IP) || (authMethod != null && authMethod.needsSourceIp());
	}

	public boolean needsDigest() {
		return authMethod != null && authMethod.needsDigest();
	}

	/** A CA is needed to verify peers or to require client certificates. */
	public boolean needsCa() {
		return verifyPeer || requireClientCert;
	}

	public boolean checksPeerName() {
		return peerNameVerification == PeerNameVerification.ENABLED;
	}

	/**
	 * What is stored of this spec: only what the selected methods use, so the stored
	 * trunk is exactly what the proxy enforces, and addresses, codecs and header names in
	 * their canonical form. For a validated spec.
	 */
	TrunkSpec stored() {
		return toBuilder().name(name.strip())
			.allowedIps(needsSourceIp() ? allowedIps.stream().map(ip -> Cidr.parse(ip).toString()).toList() : List.of())
			.fromDomainPattern(identifiesBy(IdentifyMethod.FROM_DOMAIN) ? fromDomainPattern : null)
			.userAgentPattern(identifiesBy(IdentifyMethod.USER_AGENT) ? userAgentPattern : null)
			.authRealm(needsDigest() ? Texts.blankToNull(authRealm) : null)
			.authUser(needsDigest() ? Texts.blankToNull(authUser) : null)
			.authPass(needsDigest() ? authPass : null)
			.tlsRemoteSubjectName(checksPeerName() ? Texts.blankToNull(tlsRemoteSubjectName) : null)
			.tlsCaSecretId(needsCa() ? tlsCaSecretId : null)
			.uniqueIdHeader(Texts.blankToNull(uniqueIdHeader))
			.codecPreferences(codecPreferences.stream().map(c -> Codecs.canonical(c).orElseThrow()).toList())
			.stripHeaders(stripHeaders.stream().map(String::strip).distinct().toList())
			.version(null)
			.build();
	}

	public static Builder builder() {
		return new Builder();
	}

	/** A builder starting from this spec, for copies with a few fields changed. */
	public Builder toBuilder() {
		return builder().name(name)
			.enabled(enabled)
			.priority(priority)
			.identifyBy(identifyBy)
			.allowedIps(allowedIps)
			.fromDomainPattern(fromDomainPattern)
			.userAgentPattern(userAgentPattern)
			.authMethod(authMethod)
			.authRealm(authRealm)
			.authUser(authUser)
			.authPass(authPass)
			.srtpMode(srtpMode)
			.symmetricRtp(symmetricRtp)
			.requireTls(requireTls)
			.verifyPeer(verifyPeer)
			.requireClientCert(requireClientCert)
			.peerNameVerification(peerNameVerification)
			.tlsRemoteSubjectName(tlsRemoteSubjectName)
			.tlsCaSecretId(tlsCaSecretId)
			.uniqueIdHeader(uniqueIdHeader)
			.isInternal(isInternal)
			.requiresXCall(requiresXCall)
			.maxConcurrentCalls(maxConcurrentCalls)
			.codecPreferences(codecPreferences)
			.stripHeaders(stripHeaders)
			.maxCallsPerSecond(maxCallsPerSecond)
			.limitResponse(limitResponse)
			.version(version);
	}

	@Override
	public String toString() {
		// Records print every component; this one must never print the password.
		return "TrunkSpec[name=" + name + ", version=" + version + "]";
	}

	private static <T> T or(T value, T fallback) {
		return value == null ? fallback : value;
	}

	/**
	 * Named setters instead of 25 positional arguments; unset fields take their defaults.
	 */
	public static final class Builder {

		private String name;

		private Boolean enabled;

		private Integer priority;

		private Set<IdentifyMethod> identifyBy;

		private List<String> allowedIps;

		private String fromDomainPattern;

		private String userAgentPattern;

		private AuthMethod authMethod;

		private String authRealm;

		private String authUser;

		private String authPass;

		private SrtpMode srtpMode;

		private Boolean symmetricRtp;

		private Boolean requireTls;

		private Boolean verifyPeer;

		private Boolean requireClientCert;

		private PeerNameVerification peerNameVerification;

		private String tlsRemoteSubjectName;

		private Long tlsCaSecretId;

		private String uniqueIdHeader;

		private Boolean isInternal;

		private Boolean requiresXCall;

		private Integer maxConcurrentCalls;

		private List<String> codecPreferences;

		private List<String> stripHeaders;

		private Integer maxCallsPerSecond;

		private Integer limitResponse;

		private Long version;

		public Builder name(String value) {
			this.name = value;
			return this;
		}

		public Builder enabled(Boolean value) {
			this.enabled = value;
			return this;
		}

		public Builder priority(Integer value) {
			this.priority = value;
			return this;
		}

		public Builder identifyBy(Set<IdentifyMethod> value) {
			this.identifyBy = value;
			return this;
		}

		public Builder identifyBy(IdentifyMethod... value) {
			this.identifyBy = Set.of(value);
			return this;
		}

		public Builder allowedIps(List<String> value) {
			this.allowedIps = value;
			return this;
		}

		public Builder allowedIps(String... value) {
			this.allowedIps = List.of(value);
			return this;
		}

		public Builder fromDomainPattern(String value) {
			this.fromDomainPattern = value;
			return this;
		}

		public Builder userAgentPattern(String value) {
			this.userAgentPattern = value;
			return this;
		}

		public Builder authMethod(AuthMethod value) {
			this.authMethod = value;
			return this;
		}

		public Builder authRealm(String value) {
			this.authRealm = value;
			return this;
		}

		public Builder authUser(String value) {
			this.authUser = value;
			return this;
		}

		public Builder authPass(String value) {
			this.authPass = value;
			return this;
		}

		public Builder srtpMode(SrtpMode value) {
			this.srtpMode = value;
			return this;
		}

		public Builder symmetricRtp(Boolean value) {
			this.symmetricRtp = value;
			return this;
		}

		public Builder requireTls(Boolean value) {
			this.requireTls = value;
			return this;
		}

		public Builder verifyPeer(Boolean value) {
			this.verifyPeer = value;
			return this;
		}

		public Builder requireClientCert(Boolean value) {
			this.requireClientCert = value;
			return this;
		}

		public Builder peerNameVerification(PeerNameVerification value) {
			this.peerNameVerification = value;
			return this;
		}

		public Builder tlsRemoteSubjectName(String value) {
			this.tlsRemoteSubjectName = value;
			return this;
		}

		public Builder tlsCaSecretId(Long value) {
			this.tlsCaSecretId = value;
			return this;
		}

		public Builder uniqueIdHeader(String value) {
			this.uniqueIdHeader = value;
			return this;
		}

		public Builder isInternal(Boolean value) {
			this.isInternal = value;
			return this;
		}

		public Builder requiresXCall(Boolean value) {
			this.requiresXCall = value;
			return this;
		}

		public Builder maxConcurrentCalls(Integer value) {
			this.maxConcurrentCalls = value;
			return this;
		}

		public Builder codecPreferences(List<String> value) {
			this.codecPreferences = value;
			return this;
		}

		public Builder stripHeaders(List<String> value) {
			this.stripHeaders = value;
			return this;
		}

		public Builder maxCallsPerSecond(Integer value) {
			this.maxCallsPerSecond = value;
			return this;
		}

		public Builder limitResponse(Integer value) {
			this.limitResponse = value;
			return this;
		}

		public Builder version(Long value) {
			this.version = value;
			return this;
		}

		public TrunkSpec build() {
			return new TrunkSpec(name, enabled, priority, identifyBy, allowedIps, fromDomainPattern, userAgentPattern,
					authMethod, authRealm, authUser, authPass, srtpMode, symmetricRtp, requireTls, verifyPeer,
					requireClientCert, peerNameVerification, tlsRemoteSubjectName, tlsCaSecretId, uniqueIdHeader,
					isInternal, requiresXCall, maxConcurrentCalls, codecPreferences, stripHeaders, maxCallsPerSecond,
					limitResponse, version);
		}

	}

}
