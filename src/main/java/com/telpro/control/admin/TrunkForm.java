package com.telpro.control.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.telpro.control.trunk.AuthMethod;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.PeerNameVerification;
import com.telpro.control.trunk.SrtpMode;
import com.telpro.control.trunk.TrunkResponse;
import com.telpro.control.trunk.TrunkSpec;
import org.springframework.validation.Errors;

/**
 * What the trunk form binds: the operator's input as typed (lists as text), turned into a
 * {@link TrunkSpec} for the service, which holds every rule. The password is never filled
 * in from the stored trunk: left empty, the stored one is kept.
 */
public class TrunkForm {

	private Long version;

	private String name;

	private boolean enabled = true;

	private String priority = String.valueOf(TrunkSpec.DEFAULT_PRIORITY);

	private List<String> identifyBy = new ArrayList<>();

	private String allowedIps = "";

	private String fromDomainPattern;

	private String userAgentPattern;

	private String authMethod = AuthMethod.IP_ONLY.wire();

	private String authRealm;

	private String authUser;

	private String authPass;

	private boolean authPassSet;

	private String srtpMode = SrtpMode.DISABLED.wire();

	private boolean symmetricRtp;

	private boolean requireTls;

	private boolean verifyPeer;

	private boolean requireClientCert;

	private String peerNameVerification = PeerNameVerification.DISABLED.wire();

	private String tlsRemoteSubjectName;

	private String tlsCaSecretId;

	private String uniqueIdHeader;

	private boolean isInternal;

	private boolean requiresXCall;

	private String maxConcurrentCalls = "0";

	private String maxCallsPerSecond = "0";

	/** "default" or the status code (480, 486, 503) a caller over a limit gets. */
	private String limitResponse = LIMIT_RESPONSE_DEFAULT;

	private String codecPreferences = String.join(", ", TrunkSpec.DEFAULT_CODECS);

	private String stripHeaders = "";

	static final String LIMIT_RESPONSE_DEFAULT = "default";

	/** The choices of the limit response select, in the order shown. */
	static final List<String> LIMIT_RESPONSES = List.of(LIMIT_RESPONSE_DEFAULT, "486", "480", "503");

	static TrunkForm of(TrunkResponse response) {
		TrunkSpec t = response.spec();
		TrunkForm form = new TrunkForm();
		form.version = t.version();
		form.name = t.name();
		form.enabled = t.enabled();
		form.priority = String.valueOf(t.priority());
		form.identifyBy = t.identifyBy().stream().map(IdentifyMethod::wire).toList();
		form.allowedIps = String.join("\n", t.allowedIps());
		form.fromDomainPattern = t.fromDomainPattern();
		form.userAgentPattern = t.userAgentPattern();
		form.authMethod = t.authMethod().wire();
		form.authRealm = t.authRealm();
		form.authUser = t.authUser();
		form.authPassSet = response.authPassSet();
		form.srtpMode = t.srtpMode().wire();
		form.symmetricRtp = t.symmetricRtp();
		form.requireTls = t.requireTls();
		form.verifyPeer = t.verifyPeer();
		form.requireClientCert = t.requireClientCert();
		form.peerNameVerification = t.peerNameVerification().wire();
		form.tlsRemoteSubjectName = t.tlsRemoteSubjectName();
		form.tlsCaSecretId = t.tlsCaSecretId() == null ? null : String.valueOf(t.tlsCaSecretId());
		form.uniqueIdHeader = t.uniqueIdHeader();
		form.isInternal = t.isInternal();
		form.requiresXCall = t.requiresXCall();
		form.maxConcurrentCalls = String.valueOf(t.maxConcurrentCalls());
		form.maxCallsPerSecond = String.valueOf(t.maxCallsPerSecond());
		form.limitResponse = t.limitResponse() == null ? LIMIT_RESPONSE_DEFAULT : String.valueOf(t.limitResponse());
		form.codecPreferences = String.join(", ", t.codecPreferences());
		form.stripHeaders = String.join(", ", t.stripHeaders());
		return form;
	}

	/**
	 * The spec the service validates. A choice outside the offered values (a tampered
	 * form) is reported on {@code errors} and left out.
	 */
	TrunkSpec toSpec(Errors errors) {
		Set<IdentifyMethod> methods = new LinkedHashSet<>();
		for (String method : identifyBy) {
			methods.add(parse(errors, "identifyBy", () -> IdentifyMethod.fromWire(method)));
		}
		methods.remove(null);
		return TrunkSpec.builder()
			.name(name)
			.enabled(enabled)
			.priority(number(errors, "priority", priority, Integer::valueOf))
			.identifyBy(methods)
			.allowedIps(split(allowedIps))
			.fromDomainPattern(fromDomainPattern)
			.userAgentPattern(userAgentPattern)
			.authMethod(parse(errors, "authMethod", () -> AuthMethod.fromWire(authMethod)))
			.authRealm(authRealm)
			.authUser(authUser)
			.authPass(authPass)
			.srtpMode(parse(errors, "srtpMode", () -> SrtpMode.fromWire(srtpMode)))
			.symmetricRtp(symmetricRtp)
			.requireTls(requireTls)
			.verifyPeer(verifyPeer)
			.requireClientCert(requireClientCert)
			.peerNameVerification(
					parse(errors, "peerNameVerification", () -> PeerNameVerification.fromWire(peerNameVerification)))
			.tlsRemoteSubjectName(tlsRemoteSubjectName)
			.tlsCaSecretId(number(errors, "tlsCaSecretId", tlsCaSecretId, Long::valueOf))
			.uniqueIdHeader(uniqueIdHeader)
			.isInternal(isInternal)
			.requiresXCall(requiresXCall)
			.maxConcurrentCalls(number(errors, "maxConcurrentCalls", maxConcurrentCalls, Integer::valueOf))
			.maxCallsPerSecond(number(errors, "maxCallsPerSecond", maxCallsPerSecond, Integer::valueOf))
			.limitResponse(LIMIT_RESPONSE_DEFAULT.equals(limitResponse) ? null
					: number(errors, "limitResponse", limitResponse, Integer::valueOf))
			.codecPreferences(split(codecPreferences))
			.stripHeaders(split(stripHeaders))
			.version(version)
			.build();
	}

	private static <T> T parse(Errors errors, String field, java.util.function.Supplier<T> parser) {
		try {
			return parser.get();
		}
		catch (IllegalArgumentException ex) {
			errors.rejectValue(field, "trunk.invalid", ex.getMessage());
			return null;
		}
	}

	/**
	 * Blank is "not given" (the default applies); anything else must be a whole number.
	 */
	private static <T> T number(Errors errors, String field, String text,
			java.util.function.Function<String, T> parser) {
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return parser.apply(text.strip());
		}
		catch (NumberFormatException ex) {
			errors.rejectValue(field, "trunk.invalid", "must be a whole number");
			return null;
		}
	}

	/** One entry a line, or separated by commas or spaces. */
	/**
	 * A new trunk's form, pre-filled from a source the edge refused ("create a trunk from
	 * this"): its address as the allowed IP and, when it sent one, its From domain as a
	 * literal pattern.
	 */
	static TrunkForm fromUnmatched(String source, String fromDomain) {
		TrunkForm form = new TrunkForm();
		if (source == null || source.isBlank()) {
			return form;
		}
		form.setAllowedIps(source.strip());
		List<String> identify = new ArrayList<>(List.of(IdentifyMethod.SOURCE_IP.wire()));
		if (fromDomain != null && !fromDomain.isBlank()) {
			identify.add(IdentifyMethod.FROM_DOMAIN.wire());
			form.setFromDomainPattern("^" + fromDomain.strip().replaceAll("([.\\[\\]\\\\^$|?*+(){}])", "\\\\$1") + "$");
		}
		form.setIdentifyBy(identify);
		return form;
	}

	private static List<String> split(String text) {
		if (text == null || text.isBlank()) {
			return List.of();
		}
		return Arrays.stream(text.split("[\\s,;]+")).filter(s -> !s.isEmpty()).toList();
	}

	public Long getVersion() {
		return version;
	}

	public void setVersion(Long version) {
		this.version = version;
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

	public String getPriority() {
		return priority;
	}

	public void setPriority(String priority) {
		this.priority = priority;
	}

	public List<String> getIdentifyBy() {
		return identifyBy;
	}

	public void setIdentifyBy(List<String> identifyBy) {
		this.identifyBy = identifyBy == null ? new ArrayList<>() : new ArrayList<>(identifyBy);
	}

	public String getAllowedIps() {
		return allowedIps;
	}

	public void setAllowedIps(String allowedIps) {
		this.allowedIps = allowedIps;
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

	public String getAuthMethod() {
		return authMethod;
	}

	public void setAuthMethod(String authMethod) {
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

	/** Write-only: the page never shows a password, not even the one just typed. */
	public String getAuthPass() {
		return null;
	}

	public void setAuthPass(String authPass) {
		this.authPass = authPass;
	}

	public boolean isAuthPassSet() {
		return authPassSet;
	}

	public void setAuthPassSet(boolean authPassSet) {
		this.authPassSet = authPassSet;
	}

	public String getSrtpMode() {
		return srtpMode;
	}

	public void setSrtpMode(String srtpMode) {
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

	public String getPeerNameVerification() {
		return peerNameVerification;
	}

	public void setPeerNameVerification(String peerNameVerification) {
		this.peerNameVerification = peerNameVerification;
	}

	public String getTlsRemoteSubjectName() {
		return tlsRemoteSubjectName;
	}

	public void setTlsRemoteSubjectName(String tlsRemoteSubjectName) {
		this.tlsRemoteSubjectName = tlsRemoteSubjectName;
	}

	public String getTlsCaSecretId() {
		return tlsCaSecretId;
	}

	public void setTlsCaSecretId(String tlsCaSecretId) {
		this.tlsCaSecretId = tlsCaSecretId;
	}

	public String getUniqueIdHeader() {
		return uniqueIdHeader;
	}

	public void setUniqueIdHeader(String uniqueIdHeader) {
		this.uniqueIdHeader = uniqueIdHeader;
	}

	public boolean getIsInternal() {
		return isInternal;
	}

	public void setIsInternal(boolean isInternal) {
		this.isInternal = isInternal;
	}

	public boolean getRequiresXCall() {
		return requiresXCall;
	}

	public void setRequiresXCall(boolean requiresXCall) {
		this.requiresXCall = requiresXCall;
	}

	public String getMaxCallsPerSecond() {
		return maxCallsPerSecond;
	}

	public void setMaxCallsPerSecond(String maxCallsPerSecond) {
		this.maxCallsPerSecond = maxCallsPerSecond;
	}

	public String getLimitResponse() {
		return limitResponse;
	}

	public void setLimitResponse(String limitResponse) {
		this.limitResponse = limitResponse;
	}

	public String getMaxConcurrentCalls() {
		return maxConcurrentCalls;
	}

	public void setMaxConcurrentCalls(String maxConcurrentCalls) {
		this.maxConcurrentCalls = maxConcurrentCalls;
	}

	public String getStripHeaders() {
		return stripHeaders;
	}

	public void setStripHeaders(String stripHeaders) {
		this.stripHeaders = stripHeaders;
	}

	public String getCodecPreferences() {
		return codecPreferences;
	}

	public void setCodecPreferences(String codecPreferences) {
		this.codecPreferences = codecPreferences;
	}

}
