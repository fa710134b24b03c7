package com.telpro.control.common;

/** Text conversions every feature needs the same way. */
public final class Texts {

	private Texts() {
	}

	/** Null for null, empty or whitespace-only text; otherwise the text stripped. */
	public static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}

}
