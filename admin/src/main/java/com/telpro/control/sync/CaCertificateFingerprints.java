package com.telpro.control.sync;

/**
 * Resolves a trunk's CA certificate (a platform secret of purpose CA_CERT) to the SHA-256
 * fingerprint the proxy checks, lowercase hex. Implemented where the secrets live;
 * without an implementation every trunk is published with
 * {@code tls_ca_fingerprint: null}.
 */
@FunctionalInterface
public interface CaCertificateFingerprints {

	/**
	 * @return the fingerprint, or null when the secret does not exist or is not a
	 * certificate
	 */
	String fingerprint(long secretId);

}
