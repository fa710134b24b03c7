package com.telpro.control.trunk;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.telpro.control.secret.CaCertificateLookup;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Every rule a trunk must satisfy before it is stored, for the API and the admin form
 * alike (the service runs it; both controllers go through the service). Single-field
 * constraints are the Bean Validation annotations on {@link TrunkSpec}, checked here
 * first; the rules between fields, and whatever Kamailio could not enforce as written,
 * follow. Field names are the request's property names ({@code allowedIps[1]}); the API
 * shows them in snake_case.
 * <p>
 * Validates a request with its defaults applied ({@link TrunkSpec#withDefaults()}).
 */
@Component
public class TrunkValidator implements Validator {

	static final String CODE = "trunk.invalid";

	private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._()+-]*");

	/** RFC 3261 token: what a SIP header name is made of. */
	private static final Pattern SIP_TOKEN = Pattern.compile("[A-Za-z0-9.!%*_+`'~-]+");

	/** Digest username: printable ASCII without whitespace, quotes or backslash. */
	private static final Pattern DIGEST_USER = Pattern.compile("[!#-\\[\\]-~]+");

	private static final Pattern REALM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");

	/**
	 * What a caller over a trunk limit may get (kamailio/REDIS-CONTRACT.md,
	 * limit_response).
	 */
	private static final Set<Integer> LIMIT_RESPONSES = Set.of(480, 486, 503);

	private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cntrl}]+");

	private final SpringValidatorAdapter beanValidation;

	private final ObjectProvider<CaCertificateLookup> caCertificates;

	TrunkValidator(jakarta.validation.Validator beanValidation, ObjectProvider<CaCertificateLookup> caCertificates) {
		this.beanValidation = new SpringValidatorAdapter(beanValidation);
		this.caCertificates = caCertificates;
	}

	@Override
	public boolean supports(Class<?> type) {
		return TrunkSpec.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		beanValidation.validate(target, errors);
		TrunkSpec t = (TrunkSpec) target;
		name(t, errors);
		identification(t, errors);
		authentication(t, errors);
		tls(t, errors);
		if (hasText(t.uniqueIdHeader()) && !SIP_TOKEN.matcher(t.uniqueIdHeader().strip()).matches()) {
			reject(errors, "uniqueIdHeader", "must be a SIP header name (letters, digits and - . ! % * _ + ` ' ~)");
		}
		codecs(t, errors);
		stripHeaders(t, errors);
		if (t.limitResponse() != null && !LIMIT_RESPONSES.contains(t.limitResponse())) {
			reject(errors, "limitResponse", "must be 486, 480 or 503 (or empty for the defaults)");
		}
	}

	private void name(TrunkSpec t, Errors errors) {
		if (hasText(t.name()) && !errors.hasFieldErrors("name") && !NAME.matcher(t.name().strip()).matches()) {
			reject(errors, "name",
					"may contain letters, digits, spaces and . _ - + ( ), starting with a letter or digit");
		}
	}

	private void identification(TrunkSpec t, Errors errors) {
		Set<IdentifyMethod> methods = t.identifyBy();
		if (methods.stream().anyMatch(Objects::isNull)) {
			reject(errors, "identifyBy", "contains an empty method; use source_ip, from_domain, user_agent");
		}
		if (t.needsSourceIp() && !errors.hasFieldErrors("allowedIps")) {
			allowedIps(t, errors);
		}
		if (methods.contains(IdentifyMethod.FROM_DOMAIN)) {
			pattern(errors, "fromDomainPattern", t.fromDomainPattern(), "from_domain");
		}
		if (methods.contains(IdentifyMethod.USER_AGENT)) {
			pattern(errors, "userAgentPattern", t.userAgentPattern(), "user_agent");
		}
	}

	private void allowedIps(TrunkSpec t, Errors errors) {
		List<String> ips = t.allowedIps();
		if (ips.stream().noneMatch(TrunkValidator::hasText)) {
			String why = t.identifyBy().contains(IdentifyMethod.SOURCE_IP) ? "identify_by contains source_ip"
					: "auth_method is " + t.authMethod().wire();
			reject(errors, "allowedIps", "at least one address or CIDR is required because " + why);
			return;
		}
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < ips.size(); i++) {
			String field = "allowedIps[" + i + "]";
			if (!hasText(ips.get(i))) {
				reject(errors, field, "is empty");
				continue;
			}
			try {
				Cidr cidr = Cidr.parse(ips.get(i));
				if (cidr.prefix() == 0) {
					reject(errors, field, "'" + cidr + "' matches every address; list the carrier's networks");
				}
				else if (!seen.add(cidr.toString())) {
					reject(errors, field, "'" + ips.get(i).strip() + "' is listed twice (as " + cidr + ")");
				}
			}
			catch (IllegalArgumentException ex) {
				reject(errors, field, ex.getMessage());
			}
		}
	}

	private static void pattern(Errors errors, String field, String regex, String method) {
		if (errors.hasFieldErrors(field)) {
			return;
		}
		if (!hasText(regex)) {
			reject(errors, field, "is required because identify_by contains " + method);
			return;
		}
		PortableRegex.problem(regex).ifPresent(problem -> reject(errors, field, problem));
	}

	private static void authentication(TrunkSpec t, Errors errors) {
		if (!t.needsDigest()) {
			return;
		}
		String why = " for " + t.authMethod().wire() + " authentication";
		if (!hasText(t.authUser())) {
			reject(errors, "authUser", "is required" + why);
		}
		else if (!errors.hasFieldErrors("authUser") && !DIGEST_USER.matcher(t.authUser().strip()).matches()) {
			reject(errors, "authUser", "may contain printable characters except spaces, quotes and backslashes");
		}
		if (t.authPass() == null || t.authPass().isEmpty()) {
			reject(errors, "authPass", "is required" + why);
		}
		else if (!errors.hasFieldErrors("authPass") && !PRINTABLE.matcher(t.authPass()).matches()) {
			reject(errors, "authPass", "must not contain control characters");
		}
		if (hasText(t.authRealm())) {
			if (!errors.hasFieldErrors("authRealm") && !REALM.matcher(t.authRealm().strip()).matches()) {
				reject(errors, "authRealm", "must be a domain-like realm (letters, digits and . _ : -)");
			}
		}
		else if (!t.identifyBy().contains(IdentifyMethod.FROM_DOMAIN)
				|| FromDomainLiterals.of(t.fromDomainPattern()).isEmpty()) {
			reject(errors, "authRealm",
					"is required: an empty realm means the caller's From domain, which works only "
							+ "when identifying by from_domain with a pattern that names its domains literally, "
							+ "like ^sip\\.example\\.com$ or ^(a\\.example\\.com|b\\.example\\.com)$");
		}
	}

	private void tls(TrunkSpec t, Errors errors) {
		if (!t.requireTls()) {
			if (t.verifyPeer()) {
				reject(errors, "verifyPeer", "needs require_tls: peers are verified on TLS connections only");
			}
			if (t.requireClientCert()) {
				reject(errors, "requireClientCert", "needs require_tls: client certificates come with TLS only");
			}
		}
		if (t.checksPeerName()) {
			if (!t.verifyPeer()) {
				reject(errors, "peerNameVerification",
						"needs verify_peer: the name of a certificate nobody verified proves nothing");
			}
			if (!hasText(t.tlsRemoteSubjectName())) {
				reject(errors, "tlsRemoteSubjectName", "is required when peer name verification is enabled");
			}
			else if (!errors.hasFieldErrors("tlsRemoteSubjectName")
					&& !PRINTABLE.matcher(t.tlsRemoteSubjectName().strip()).matches()) {
				reject(errors, "tlsRemoteSubjectName", "must not contain control characters");
			}
		}
		if (t.needsCa()) {
			if (t.tlsCaSecretId() == null) {
				reject(errors, "tlsCaSecretId",
						"a CA certificate is required to verify peers or require client " + "certificates");
			}
			else if (!errors.hasFieldErrors("tlsCaSecretId")
					&& !caCertificates.getIfAvailable(() -> CaCertificateLookup.NONE)
						.isCaCertificate(t.tlsCaSecretId())) {
				reject(errors, "tlsCaSecretId", "no CA certificate secret with id " + t.tlsCaSecretId());
			}
		}
	}

	private static void codecs(TrunkSpec t, Errors errors) {
		List<String> codecs = t.codecPreferences();
		if (errors.hasFieldErrors("codecPreferences")) {
			return;
		}
		if (codecs.isEmpty()) {
			reject(errors, "codecPreferences", "choose at least one codec");
			return;
		}
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < codecs.size(); i++) {
			String field = "codecPreferences[" + i + "]";
			Optional<String> codec = Codecs.canonical(codecs.get(i));
			if (codec.isEmpty()) {
				reject(errors, field,
						"'" + codecs.get(i) + "' is not a known codec; use " + String.join(", ", Codecs.KNOWN));
			}
			else if (!seen.add(codec.get())) {
				reject(errors, field, codec.get() + " is listed twice");
			}
		}
	}

	/** Headers SIP cannot route or match a call without (compact forms included). */
	private static final Set<String> ROUTING_HEADERS = Set.of("via", "v", "from", "f", "to", "t", "call-id", "i",
			"cseq", "contact", "m", "route", "record-route", "max-forwards", "content-length", "l", "content-type",
			"c");

	private static void stripHeaders(TrunkSpec t, Errors errors) {
		List<String> names = t.stripHeaders();
		if (names == null || errors.hasFieldErrors("stripHeaders")) {
			return;
		}
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < names.size(); i++) {
			String field = "stripHeaders[" + i + "]";
			String name = names.get(i) == null ? "" : names.get(i).strip();
			if (!SIP_TOKEN.matcher(name).matches()) {
				reject(errors, field, "must be a SIP header name (letters, digits and - . ! % * _ + ` ' ~)");
			}
			else if (ROUTING_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
				reject(errors, field, name + " is needed to route the call and cannot be removed");
			}
			else if (!seen.add(name.toLowerCase(Locale.ROOT))) {
				reject(errors, field, name + " is listed twice");
			}
		}
	}

	static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

	private static void reject(Errors errors, String field, String message) {
		errors.rejectValue(field, CODE, message);
	}

}
