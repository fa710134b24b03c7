package com.telpro.control.sync;

import com.telpro.control.secret.PlatformSecretService;
import org.springframework.stereotype.Component;

/** A trunk's {@code tls_ca_fingerprint}: the SHA-256 of its CA_CERT platform secret. */
@Component
class SecretCaFingerprints implements CaCertificateFingerprints {

	private final PlatformSecretService secrets;

	SecretCaFingerprints(PlatformSecretService secrets) {
		this.secrets = secrets;
	}

	@Override
	public String fingerprint(long secretId) {
		return secrets.caFingerprint(secretId).orElse(null);
	}

}
