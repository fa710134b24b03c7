package com.telpro.control.trunk;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What authorises an identified caller. */
public enum AuthMethod {

	IP_ONLY, DIGEST, IP_AND_DIGEST;

	public boolean needsDigest() {
		return this != IP_ONLY;
	}

	public boolean needsSourceIp() {
		return this != DIGEST;
	}

	@JsonValue
	public String wire() {
		return name().toLowerCase();
	}

	@JsonCreator
	public static AuthMethod fromWire(String value) {
		return WireValues.parse(AuthMethod.class, value);
	}

}
