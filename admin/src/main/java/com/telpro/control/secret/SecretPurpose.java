package com.telpro.control.secret;

/**
 * What a platform secret is for. The spec writes purposes in capitals ({@code CA_CERT});
 * so does the API. A new purpose adds a constant here and its rules in
 * {@link PemInspector}.
 */
public enum SecretPurpose {

	/**
	 * A CA certificate trunks reference to verify their clients (mTLS); published to the
	 * edge.
	 */
	CA_CERT("CA certificate", false),

	/** The edge's own TLS server certificate (and its chain). */
	TLS_SERVER_CERT("TLS server certificate", false),

	/**
	 * The private key of the TLS server certificate: stored encrypted, never shown again.
	 */
	TLS_SERVER_KEY("TLS server private key", true);

	private final String label;

	private final boolean privateKey;

	SecretPurpose(String label, boolean privateKey) {
		this.label = label;
		this.privateKey = privateKey;
	}

	public String label() {
		return label;
	}

	public boolean isPrivateKey() {
		return privateKey;
	}

}
