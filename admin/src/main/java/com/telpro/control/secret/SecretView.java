package com.telpro.control.secret;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A platform secret as the API and the admin page show it: public metadata only. There is
 * no field for the material, so no view can ever carry a private key.
 *
 * @param expiresSoon the certificate expires within {@link #EXPIRY_WARNING} (or has
 * expired)
 * @param warnings human-readable warnings (expiry, not yet valid)
 * @param referencedBy names of the trunks that reference this secret
 */
public record SecretView(long id, String name, SecretPurpose purpose, String subject, String issuer,
		String serialNumber, Instant notBefore, Instant notAfter, String fingerprintSha256, String keyAlgorithm,
		Long expiresInDays, boolean expiresSoon, List<String> warnings, List<String> referencedBy, Instant createdAt) {

	public static final Duration EXPIRY_WARNING = Duration.ofDays(30);

	static SecretView of(PlatformSecret secret, List<String> referencedBy, Instant now) {
		List<String> warnings = new ArrayList<>();
		Long days = null;
		boolean soon = false;
		if (secret.getNotAfter() != null) {
			Duration left = Duration.between(now, secret.getNotAfter());
			days = left.toDays();
			if (left.isNegative()) {
				soon = true;
				warnings.add("expired on " + secret.getNotAfter());
			}
			else if (left.compareTo(EXPIRY_WARNING) <= 0) {
				soon = true;
				warnings
					.add("expires in " + days + " day" + (days == 1 ? "" : "s") + " (" + secret.getNotAfter() + ")");
			}
		}
		if (secret.getNotBefore() != null && now.isBefore(secret.getNotBefore())) {
			warnings.add("not valid before " + secret.getNotBefore());
		}
		return new SecretView(secret.getId(), secret.getName(), secret.getPurpose(), secret.getSubject(),
				secret.getIssuer(), secret.getSerialNumber(), secret.getNotBefore(), secret.getNotAfter(),
				secret.getFingerprintSha256(), secret.getKeyAlgorithm(), days, soon, List.copyOf(warnings),
				List.copyOf(referencedBy), secret.getCreatedAt());
	}

	/** The fingerprint as {@code AB:CD:…}, the way openssl and browsers print it. */
	public String fingerprintColons() {
		if (fingerprintSha256 == null) {
			return null;
		}
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < fingerprintSha256.length(); i += 2) {
			if (i > 0) {
				out.append(':');
			}
			out.append(fingerprintSha256, i, i + 2);
		}
		return out.toString().toUpperCase(java.util.Locale.ROOT);
	}

}
