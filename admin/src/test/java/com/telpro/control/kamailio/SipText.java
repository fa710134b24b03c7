package com.telpro.control.kamailio;

import java.util.ArrayList;
import java.util.List;

/**
 * One SIP message as text: its first line and headers by name (full names,
 * case-insensitive).
 */
record SipText(String text) {

	String firstLine() {
		int end = text.indexOf("\r\n");
		return end < 0 ? text : text.substring(0, end);
	}

	/** The method of a request, null for a response. */
	String method() {
		String first = firstLine();
		return first.startsWith("SIP/2.0") ? null : first.substring(0, first.indexOf(' '));
	}

	/** The status code of a response, -1 for a request. */
	int status() {
		String first = firstLine();
		return first.startsWith("SIP/2.0 ") ? Integer.parseInt(first.substring(8, 11)) : -1;
	}

	/** The first value of the header, or null. */
	String header(String name) {
		List<String> all = headers(name);
		return all.isEmpty() ? null : all.get(0);
	}

	/**
	 * Every value of the header in order; comma-separated values of one line are split.
	 */
	List<String> headers(String name) {
		List<String> values = new ArrayList<>();
		int end = text.indexOf("\r\n\r\n");
		String[] lines = (end < 0 ? text : text.substring(0, end)).split("\r\n");
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase(name)) {
				String value = lines[i].substring(colon + 1).trim();
				if (name.equalsIgnoreCase("Via") || name.equalsIgnoreCase("Record-Route")) {
					for (String part : value.split(",(?![^<]*>)")) {
						values.add(part.trim());
					}
				}
				else {
					values.add(value);
				}
			}
		}
		return values;
	}

}
