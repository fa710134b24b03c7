package com.telpro.control.common;

/**
 * Makes text from outside (user input, Redis values, exception messages) safe to put in a
 * log line: control characters become {@code _}, so nobody forges a log line, and the
 * length is bounded.
 */
public final class LogSafe {

	private static final int MAX = 200;

	private LogSafe() {
	}

	public static String of(String value) {
		if (value == null) {
			return "(none)";
		}
		String flat = value.replaceAll("\\p{Cntrl}", "_");
		return flat.length() > MAX ? flat.substring(0, MAX) + "…" : flat;
	}

}
