package com.telpro.control.secret;

import java.time.Instant;

/**
 * What {@link PemInspector} accepted: the material re-encoded from its DER (nothing of
 * the upload's surrounding text survives) and the public metadata shown in lists. For a
 * private key only {@code keyAlgorithm} is set.
 */
record InspectedMaterial(String pem, String subject, String issuer, String serialNumber, Instant notBefore,
		Instant notAfter, String fingerprintSha256, String keyAlgorithm) {

	@Override
	public String toString() {
		// Never the material: this string may reach logs.
		return "InspectedMaterial[subject=" + subject + ", fingerprint=" + fingerprintSha256 + ", keyAlgorithm="
				+ keyAlgorithm + "]";
	}

}
