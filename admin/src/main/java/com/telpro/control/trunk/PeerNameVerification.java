package com.telpro.control.trunk;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether the client certificate's CN must equal the trunk's remote subject name. */
public enum PeerNameVerification {

	DISABLED, ENABLED;

	@JsonValue
	public String wire() {
		return name().toLowerCase();
	}

	@JsonCreator
	public static PeerNameVerification fromWire(String value) {
		return WireValues.parse(PeerNameVerification.class, value);
	}

}
