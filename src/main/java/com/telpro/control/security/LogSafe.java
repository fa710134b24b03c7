package com.telpro.control.security;

/** Makes user input safe to put in a log line: no CR/LF (no forged lines), bounded length. */
final class LogSafe {

	private static final int MAX = 100;

	private LogSafe() {
	}

	static String of(String value) {
		if (value == null) {
			return "(none)";
		}
		String flat = value.replaceAll("[\\r\\n\\t\\p{Cntrl}]", "_");
		return flat.length() > MAX ? flat.substring(0, MAX) + "…" : flat;
	}

}
