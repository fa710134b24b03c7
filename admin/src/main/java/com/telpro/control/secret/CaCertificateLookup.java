package com.telpro.control.secret;

/**
 * Tells the trunk validator whether a platform secret is a CA certificate a trunk may
 * reference ({@code tls_ca_secret_id}). The secrets feature provides the implementation;
 * until it is there, no id is accepted.
 */
public interface CaCertificateLookup {

	/** Used when no other implementation is defined: there are no CA certificates yet. */
	CaCertificateLookup NONE = secretId -> false;

	/** Whether {@code secretId} names a platform secret of purpose CA_CERT. */
	boolean isCaCertificate(long secretId);

}
