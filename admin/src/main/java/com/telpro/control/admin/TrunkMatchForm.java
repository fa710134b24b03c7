package com.telpro.control.admin;

import com.telpro.control.sync.MatchRequest;

/** The fields of the "Which trunk gets this call?" page, posted as a form (not JSON). */
public class TrunkMatchForm {

	private String sourceIp;

	private String transport = "udp";

	private String fromUri;

	private String userAgent;

	private String tlsClientCertPem;

	private String rawRequest;

	private String state = "live";

	public String getSourceIp() {
		return sourceIp;
	}

	public void setSourceIp(String v) {
		sourceIp = v;
	}

	public String getTransport() {
		return transport;
	}

	public void setTransport(String v) {
		transport = v;
	}

	public String getFromUri() {
		return fromUri;
	}

	public void setFromUri(String v) {
		fromUri = v;
	}

	public String getUserAgent() {
		return userAgent;
	}

	public void setUserAgent(String v) {
		userAgent = v;
	}

	public String getTlsClientCertPem() {
		return tlsClientCertPem;
	}

	public void setTlsClientCertPem(String v) {
		tlsClientCertPem = v;
	}

	public String getRawRequest() {
		return rawRequest;
	}

	public void setRawRequest(String v) {
		rawRequest = v;
	}

	public String getState() {
		return state;
	}

	public void setState(String v) {
		state = v;
	}

	MatchRequest toRequest() {
		return new MatchRequest(blank(sourceIp), blank(transport), blank(fromUri), blank(userAgent),
				blank(tlsClientCertPem), blank(rawRequest), blank(state));
	}

	private static String blank(String v) {
		return v == null || v.isBlank() ? null : v;
	}

}
