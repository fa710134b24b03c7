package com.telpro.control.trunk;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.telpro.control.common.Texts;
import com.telpro.control.secret.EncryptedStringConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A SIP trunk: how the proxy recognises a carrier's traffic and what it then enforces.
 * What an operator sets arrives as a {@link TrunkSpec} through {@link #apply(TrunkSpec)},
 * the one place it is copied in, and leaves as one through {@link #spec()};
 * {@link TrunkValidator} holds the rules.
 */
@Entity
public class Trunk {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Version
	private long version;

	private String name;

	private boolean enabled = true;

	private int priority = TrunkSpec.DEFAULT_PRIORITY;

	@JdbcTypeCode(SqlTypes.JSON)
	private Set<IdentifyMethod> identifyBy = EnumSet.noneOf(IdentifyMethod.class);

	@JdbcTypeCode(SqlTypes.JSON)
	private List<String> allowedIps = new ArrayList<>();

	private String fromDomainPattern;

	private String userAgentPattern;

	@Convert(converter = WireEnumConverters.AuthMethodConverter.class)
	private AuthMethod authMethod = AuthMethod.IP_ONLY;

	private String authRealm;

	private String authUser;

	@Column(name = "auth_pass_encrypted")
	@Convert(converter = EncryptedStringConverter.class)
	private String authPass;

	@Convert(converter = WireEnumConverters.SrtpModeConverter.class)
	private SrtpMode srtpMode = SrtpMode.DISABLED;

	private boolean symmetricRtp;

	private boolean requireTls;

	private boolean verifyPeer;

	private boolean requireClientCert;

	@Convert(converter = WireEnumConverters.PeerNameVerificationConverter.class)
	private PeerNameVerification peerNameVerification = PeerNameVerification.DISABLED;

	private String tlsRemoteSubjectName;

	private Long tlsCaSecretId;

	private String uniqueIdHeader;

	private boolean isInternal;

	@Column(name = "requires_x_call")
	private boolean requiresXCall;

	private int maxConcurrentCalls;

	private int maxCallsPerSecond;

	private Integer limitResponse;

	@JdbcTypeCode(SqlTypes.JSON)
	private List<String> codecPreferences = new ArrayList<>(TrunkSpec.DEFAULT_CODECS);

	@JdbcTypeCode(SqlTypes.JSON)
	private List<String> stripHeaders = new ArrayList<>();

	private Instant createdAt;

	private Instant updatedAt;

	@PrePersist
	void onCreate() {
		// PostgreSQL keeps microseconds: the saved value and a later read must be equal.
		createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
		updatedAt = createdAt;
	}

	@PreUpdate
	void onUpdate() {
		updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

	/**
	 * Copies a validated spec onto the entity. What the selected methods do not use is
	 * not stored, so the stored trunk is exactly what the proxy enforces; addresses and
	 * codecs are stored in their canonical form.
	 */
	void apply(TrunkSpec spec) {
		name = spec.name().strip();
		enabled = spec.enabled();
		priority = spec.priority();
		identifyBy = spec.identifyBy().isEmpty() ? EnumSet.noneOf(IdentifyMethod.class)
				: EnumSet.copyOf(spec.identifyBy());
		allowedIps = new ArrayList<>(spec.needsSourceIp()
				? spec.allowedIps().stream().map(ip -> Cidr.parse(ip).toString()).toList() : List.of());
		fromDomainPattern = spec.identifiesBy(IdentifyMethod.FROM_DOMAIN) ? spec.fromDomainPattern() : null;
		userAgentPattern = spec.identifiesBy(IdentifyMethod.USER_AGENT) ? spec.userAgentPattern() : null;
		authMethod = spec.authMethod();
		authRealm = spec.needsDigest() ? Texts.blankToNull(spec.authRealm()) : null;
		authUser = spec.needsDigest() ? Texts.blankToNull(spec.authUser()) : null;
		authPass = spec.needsDigest() ? spec.authPass() : null;
		srtpMode = spec.srtpMode();
		symmetricRtp = spec.symmetricRtp();
		requireTls = spec.requireTls();
		verifyPeer = spec.verifyPeer();
		requireClientCert = spec.requireClientCert();
		peerNameVerification = spec.peerNameVerification();
		tlsRemoteSubjectName = spec.checksPeerName() ? Texts.blankToNull(spec.tlsRemoteSubjectName()) : null;
		tlsCaSecretId = spec.needsCa() ? spec.tlsCaSecretId() : null;
		uniqueIdHeader = Texts.blankToNull(spec.uniqueIdHeader());
		isInternal = spec.isInternal();
		requiresXCall = spec.requiresXCall();
		maxConcurrentCalls = spec.maxConcurrentCalls();
		maxCallsPerSecond = spec.maxCallsPerSecond();
		limitResponse = spec.limitResponse();
		codecPreferences = new ArrayList<>(
				spec.codecPreferences().stream().map(c -> Codecs.canonical(c).orElseThrow()).toList());
		stripHeaders = new ArrayList<>(spec.stripHeaders().stream().map(String::strip).distinct().toList());
	}

	/** What is stored, as a spec at this trunk's version; never the password. */
	public TrunkSpec spec() {
		return TrunkSpec.builder()
			.name(name)
			.enabled(enabled)
			.priority(priority)
			.identifyBy(new TreeSet<>(identifyBy))
			.allowedIps(List.copyOf(allowedIps))
			.fromDomainPattern(fromDomainPattern)
			.userAgentPattern(userAgentPattern)
			.authMethod(authMethod)
			.authRealm(authRealm)
			.authUser(authUser)
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
			.maxCallsPerSecond(maxCallsPerSecond)
			.limitResponse(limitResponse)
			.codecPreferences(List.copyOf(codecPreferences))
			.stripHeaders(List.copyOf(stripHeaders))
			.version(version)
			.build();
	}

	public Long getId() {
		return id;
	}

	public long getVersion() {
		return version;
	}

	public String getName() {
		return name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public boolean isEnabled() {
		return enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getPriority() {
		return priority;
	}

	public void setPriority(int priority) {
		this.priority = priority;
	}

	public Set<IdentifyMethod> getIdentifyBy() {
		return identifyBy;
	}

	public void setIdentifyBy(Set<IdentifyMethod> identifyBy) {
		this.identifyBy = identifyBy.isEmpty() ? EnumSet.noneOf(IdentifyMethod.class) : EnumSet.copyOf(identifyBy);
	}

	public boolean identifiesBy(IdentifyMethod method) {
		return identifyBy.contains(method);
	}

	public List<String> getAllowedIps() {
		return allowedIps;
	}

	public void setAllowedIps(List<String> allowedIps) {
		this.allowedIps = new ArrayList<>(allowedIps);
	}

	public String getFromDomainPattern() {
		return fromDomainPattern;
	}

	public void setFromDomainPattern(String fromDomainPattern) {
		this.fromDomainPattern = fromDomainPattern;
	}

	public String getUserAgentPattern() {
		return userAgentPattern;
	}

	public void setUserAgentPattern(String userAgentPattern) {
		this.userAgentPattern = userAgentPattern;
	}

	public AuthMethod getAuthMethod() {
		return authMethod;
	}

	public void setAuthMethod(AuthMethod authMethod) {
		this.authMethod = authMethod;
	}

	public String getAuthRealm() {
		return authRealm;
	}

	public void setAuthRealm(String authRealm) {
		this.authRealm = authRealm;
	}

	public String getAuthUser() {
		return authUser;
	}

	public void setAuthUser(String authUser) {
		this.authUser = authUser;
	}

	/** The plaintext password, in memory only; the column holds it encrypted. */
	public String getAuthPass() {
		return authPass;
	}

	public void setAuthPass(String authPass) {
		this.authPass = authPass;
	}

	public boolean isAuthPassSet() {
		return authPass != null && !authPass.isEmpty();
	}

	public SrtpMode getSrtpMode() {
		return srtpMode;
	}

	public void setSrtpMode(SrtpMode srtpMode) {
		this.srtpMode = srtpMode;
	}

	public boolean isSymmetricRtp() {
		return symmetricRtp;
	}

	public void setSymmetricRtp(boolean symmetricRtp) {
		this.symmetricRtp = symmetricRtp;
	}

	public boolean isRequireTls() {
		return requireTls;
	}

	public void setRequireTls(boolean requireTls) {
		this.requireTls = requireTls;
	}

	public boolean isVerifyPeer() {
		return verifyPeer;
	}

	public void setVerifyPeer(boolean verifyPeer) {
		this.verifyPeer = verifyPeer;
	}

	public boolean isRequireClientCert() {
		return requireClientCert;
	}

	public void setRequireClientCert(boolean requireClientCert) {
		this.requireClientCert = requireClientCert;
	}

	public PeerNameVerification getPeerNameVerification() {
		return peerNameVerification;
	}

	public void setPeerNameVerification(PeerNameVerification peerNameVerification) {
		this.peerNameVerification = peerNameVerification;
	}

	public String getTlsRemoteSubjectName() {
		return tlsRemoteSubjectName;
	}

	public void setTlsRemoteSubjectName(String tlsRemoteSubjectName) {
		this.tlsRemoteSubjectName = tlsRemoteSubjectName;
	}

	public Long getTlsCaSecretId() {
		return tlsCaSecretId;
	}

	public void setTlsCaSecretId(Long tlsCaSecretId) {
		this.tlsCaSecretId = tlsCaSecretId;
	}

	public String getUniqueIdHeader() {
		return uniqueIdHeader;
	}

	public void setUniqueIdHeader(String uniqueIdHeader) {
		this.uniqueIdHeader = uniqueIdHeader;
	}

	public boolean isInternal() {
		return isInternal;
	}

	public void setInternal(boolean internal) {
		this.isInternal = internal;
	}

	public boolean isRequiresXCall() {
		return requiresXCall;
	}

	public void setRequiresXCall(boolean requiresXCall) {
		this.requiresXCall = requiresXCall;
	}

	public int getMaxConcurrentCalls() {
		return maxConcurrentCalls;
	}

	public void setMaxConcurrentCalls(int maxConcurrentCalls) {
		this.maxConcurrentCalls = maxConcurrentCalls;
	}

	public int getMaxCallsPerSecond() {
		return maxCallsPerSecond;
	}

	public void setMaxCallsPerSecond(int maxCallsPerSecond) {
		this.maxCallsPerSecond = maxCallsPerSecond;
	}

	/**
	 * The status for a caller over a limit (480, 486, 503); null: 486 for calls, 503 for
	 * CPS.
	 */
	public Integer getLimitResponse() {
		return limitResponse;
	}

	public void setLimitResponse(Integer limitResponse) {
		this.limitResponse = limitResponse;
	}

	public List<String> getCodecPreferences() {
		return codecPreferences;
	}

	public void setCodecPreferences(List<String> codecPreferences) {
		this.codecPreferences = new ArrayList<>(codecPreferences);
	}

	/** Header names the edge removes from this carrier's requests. */
	public List<String> getStripHeaders() {
		return stripHeaders;
	}

	public void setStripHeaders(List<String> stripHeaders) {
		this.stripHeaders = new ArrayList<>(stripHeaders);
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

	public Instant getUpdatedAt() {
		return updatedAt;
	}

	@Override
	public String toString() {
		// Never the password: this string reaches logs.
		return "Trunk[id=" + id + ", name=" + name + ", priority=" + priority + "]";
	}

}
