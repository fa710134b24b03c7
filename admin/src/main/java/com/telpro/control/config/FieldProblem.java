package com.telpro.control.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a problem response's {@code errors}: which field (its JSON name, null for
 * the request as a whole), and what is wrong with it. The one field-error shape of every
 * API.
 */
public record FieldProblem(String field, String message) {

	Map<String, String> asMap() {
		Map<String, String> entry = new LinkedHashMap<>();
		entry.put("field", field);
		entry.put("message", message);
		return entry;
	}

	/**
	 * {@code allowedIps[1]} → {@code allowed_ips[1]}, as the JSON names it (SNAKE_CASE
	 * strategy).
	 */
	static String jsonName(String javaPath) {
		StringBuilder out = new StringBuilder(javaPath.length() + 8);
		for (int i = 0; i < javaPath.length(); i++) {
			char c = javaPath.charAt(i);
			if (Character.isUpperCase(c)) {
				out.append('_').append(Character.toLowerCase(c));
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

}
