package com.telpro.control.admin;

import com.telpro.control.secret.SecretPurpose;

/** The upload form's fields. The PEM is cleared before the page is rendered again. */
public class SecretUploadForm {

	private String name;

	private SecretPurpose purpose = SecretPurpose.CA_CERT;

	private String pem;

	public String getName() {
		return name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public SecretPurpose getPurpose() {
		return purpose;
	}

	public void setPurpose(SecretPurpose purpose) {
		this.purpose = purpose;
	}

	public String getPem() {
		return pem;
	}

	public void setPem(String pem) {
		this.pem = pem;
	}

	@Override
	public String toString() {
		return "SecretUploadForm[name=" + name + ", purpose=" + purpose + "]";
	}

}
