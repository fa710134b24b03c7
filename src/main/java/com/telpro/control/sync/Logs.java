package com.telpro.control.sync;

/** Log lines never carry user input raw. */
final class Logs {

	private Logs() {
	}

	static String safe(String value) {
		return value == null ? null : value.replaceAll("[\\r\\n\\t]", "_");
	}

}
