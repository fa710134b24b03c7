package com.telpro.control.trunk;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * SRTP towards the carrier; it terminates at RTPEngine, the backend always sees plain
 * RTP.
 */
public enum SrtpMode {

	DISABLED, PREFER, REQUIRE;

	@JsonValue
	public String wire() {
		return name().toLowerCase();
	}

	@JsonCreator
	public static SrtpMode fromWire(String value) {
		return WireValues.parse(SrtpMode.class, value);
	}

}
