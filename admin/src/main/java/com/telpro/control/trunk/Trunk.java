package com.telpro.control.trunk;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Version;

/**
 * A SIP trunk: how the proxy recognises a carrier's traffic and what it then enforces.
 * What an operator sets is one {@link TrunkSpec}, stored as it is (its components are the
 * table's columns): it arrives through {@link #apply(TrunkSpec)} and leaves through
 * {@link #spec()}, so a new trunk field is a component of the spec and a column, and
 * nothing here. The getters and setters read and change one component, for the rules and
 * the rows that need just one.
 */
@Entity
public class Trunk {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Version
	private long version;

	@Embedded
	private TrunkSpec stored = TrunkSpec.builder().authMethod(AuthMethod.IP_ONLY).build();

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
	 * Stores a validated spec: only what its selected methods use, addresses and codecs
	 * in their canonical form ({@link TrunkSpec#stored()}), so the stored trunk is
	 * exactly what the proxy enforces.
	 */
	void apply(TrunkSpec spec) {
		stored = spec.stored();
	}

	/** What is stored, as a spec at this trunk's version; never the password. */
	public TrunkSpec spec() {
		return stored.toBuilder().authPass(null).version(version).build();
	}

	public Long getId() {
		return id;
	}

	public long getVersion() {
		return version;
	}

	public boolean identifiesBy(IdentifyMethod method) {
		return stored.identifiesBy(method);
	}

	public boolean isAuthPassSet() {
		return stored.authPass() != null && !stored.authPass().isEmpty();
	}

	public String getName() {
		return stored.name();
	}

	public void setName(String value) {
		stored = stored.toBuilder().name(value).build();
	}

	public boolean isEnabled() {
		return stored.enabled();
	}

	public void setEnabled(boolean value) {
		stored = stored.toBuilder().enabled(value).build();
	}

	public int getPriority() {
		return stored.priority();
	}

	public void setPriority(int value) {
		stored = stored.toBuilder().priority(value).build();
	}

	public Set<IdentifyMethod> getIdentifyBy() {
		return stored.identifyBy();
	}

	public void setIdentifyBy(Set<IdentifyMethod> value) {
		stored = stored.toBuilder().identifyBy(value).build();
	}

	public List<String> getAllowedIps() {
		return stored.allowedIps();
	}

	public void setAllowedIps(List<String> value) {
		stored = stored.toBuilder().allowedIps(value).build();
	}

	public String getFromDomainPattern() {
		return stored.fromDomainPattern();
	}

	public void setFromDomainPattern(String value) {
		stored = stored.toBuilder().fromDomainPattern(value).build();
	}

	public String getUserAgentPattern() {
		return stored.userAgentPattern();
	}

	public void setUserAgentPattern(String value) {
		stored = stored.toBuilder().userAgentPattern(value).build();
	}

	public AuthMethod getAuthMethod() {
		return stored.authMethod();
	}

	public void setAuthMethod(AuthMethod value) {
		stored = stored.toBuilder().authMethod(value).build();
	}

	public String getAuthRealm() {
		return stored.authRealm();
	}

	public void setAuthRealm(String value) {
		stored = stored.toBuilder().authRealm(value).build();
	}

	public String getAuthUser() {
		return stored.authUser();
	}

	public void setAuthUser(String value) {
		stored = stored.toBuilder().authUser(value).build();
	}

	/** The plaintext password, in memory only; the column holds it encrypted. */
	public String getAuthPass() {
		return stored.authPass();
	}

	public void setAuthPass(String value) {
		stored = stored.toBuilder().authPass(value).build();
	}

	public SrtpMode getSrtpMode() {
		return stored.srtpMode();
	}

	public void setSrtpMode(SrtpMode value) {
		stored = stored.toBuilder().srtpMode(value).build();
	}

	public boolean isSymmetricRtp() {
		return stored.symmetricRtp();
	}

	public void setSymmetricRtp(boolean value) {
		stored = stored.toBuilder().symmetricRtp(value).build();
	}

	public boolean isRequireTls() {
		return stored.requireTls();
	}

	public void setRequireTls(boolean value) {
		stored = stored.toBuilder().requireTls(value).build();
	}

	public boolean isVerifyPeer() {
		return stored.verifyPeer();
	}

	public void setVerifyPeer(boolean value) {
		stored = stored.toBuilder().verifyPeer(value).build();
	}

	public boolean isRequireClientCert() {
		return stored.requireClientCert();
	}

	public void setRequireClientCert(boolean value) {
		stored = stored.toBuilder().requireClientCert(value).build();
	}

	public PeerNameVerification getPeerNameVerification() {
		return stored.peerNameVerification();
	}

	public void setPeerNameVerification(PeerNameVerification value) {
		stored = stored.toBuilder().peerNameVerification(value).build();
	}

	public String getTlsRemoteSubjectName() {
		return stored.tlsRemoteSubjectName();
	}

	public void setTlsRemoteSubjectName(String value) {
		stored = stored.toBuilder().tlsRemoteSubjectName(value).build();
	}

	public Long getTlsCaSecretId() {
		return stored.tlsCaSecretId();
	}

	public void setTlsCaSecretId(Long value) {
		stored = stored.toBuilder().tlsCaSecretId(value).build();
	}

	public String getUniqueIdHeader() {
		return stored.uniqueIdHeader();
	}

	public void setUniqueIdHeader(String value) {
		stored = stored.toBuilder().uniqueIdHeader(value).build();
	}

	public boolean isInternal() {
		return stored.isInternal();
	}

	public void setInternal(boolean value) {
		stored = stored.toBuilder().isInternal(value).build();
	}

	public boolean isRequiresXCall() {
		return stored.requiresXCall();
	}

	public void setRequiresXCall(boolean value) {
		stored = stored.toBuilder().requiresXCall(value).build();
	}

	public int getMaxConcurrentCalls() {
		return stored.maxConcurrentCalls();
	}

	public void setMaxConcurrentCalls(int value) {
		stored = stored.toBuilder().maxConcurrentCalls(value).build();
	}

	public int getMaxCallsPerSecond() {
		return stored.maxCallsPerSecond();
	}

	public void setMaxCallsPerSecond(int value) {
		stored = stored.toBuilder().maxCallsPerSecond(value).build();
	}

	public Integer getLimitResponse() {
		return stored.limitResponse();
	}

	public void setLimitResponse(Integer value) {
		stored = stored.toBuilder().limitResponse(value).build();
	}

	public List<String> getCodecPreferences() {
		return stored.codecPreferences();
	}

	public void setCodecPreferences(List<String> value) {
		stored = stored.toBuilder().codecPreferences(value).build();
	}

	public List<String> getStripHeaders() {
		return stored.stripHeaders();
	}

	public void setStripHeaders(List<String> value) {
		stored = stored.toBuilder().stripHeaders(value).build();
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
		return "Trunk[id=" + id + ", name=" + stored.name() + ", priority=" + stored.priority() + "]";
	}

}
