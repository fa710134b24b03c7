package com.telpro.control.admin;

import java.util.List;

import com.telpro.control.secret.CaCertificateInfo;
import com.telpro.control.secret.PlatformSecretService;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * The trunk form's "TLS CA certificate" choices: every CA_CERT platform secret, by name.
 */
@ControllerAdvice(assignableTypes = TrunkAdminController.class)
class CaCertificateChoices {

	private final PlatformSecretService secrets;

	CaCertificateChoices(PlatformSecretService secrets) {
		this.secrets = secrets;
	}

	@ModelAttribute("caCertificates")
	List<CaCertificateInfo> caCertificates() {
		return secrets.caCertificates();
	}

}
