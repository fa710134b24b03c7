package com.telpro.control.admin;

/**
 * The "add a SIP account" form; the rules are SubscriberRequests.Create's, checked by the
 * controller.
 */
public class SubscriberForm {

	private String username = "";

	private String domain = "";

	private String password = "";

	public String getUsername() {
		return username;
	}

	public void setUsername(String username) {
		this.username = username;
	}

	public String getDomain() {
		return domain;
	}

	public void setDomain(String domain) {
		this.domain = domain;
	}

	public String getPassword() {
		return password;
	}

	public void setPassword(String password) {
		this.password = password;
	}

}
