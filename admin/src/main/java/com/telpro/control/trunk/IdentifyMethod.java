package com.telpro.control.trunk;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How Kamailio recognises a trunk's traffic; every selected method must match. */
public enum IdentifyMethod {

	SOURCE_IP, FROM_DOMAIN, USER_AGENT;

	@JsonValue
	public String wire() {
		return name().toLowerCase();
	}

	@JsonCreator
	public static IdentifyMethod fromWire(String value) {
		return WireValues.parse(IdentifyMethod.class, value);
	}

}
