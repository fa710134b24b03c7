package com.telpro.control.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Masks secrets in audit snapshots and computes their diff. Publishers mask their own
 * secrets; this is the second line: any key whose name contains {@code pass},
 * {@code secret}, {@code key}, {@code token} or {@code ha1} has its value replaced by
 * {@code "***"} at any depth. Values that cannot be a secret stay readable: null,
 * booleans ({@code auth_pass_set: true}) and numeric ids ({@code tls_ca_secret_id: 4}).
 */
final class AuditMasking {

	static final String MASK = "***";

	private static final List<String> SECRET_WORDS = List.of("pass", "secret", "key", "token", "ha1");

	private AuditMasking() {
	}

	static boolean isSecretKey(String key) {
		String lower = key.toLowerCase(Locale.ROOT);
		return SECRET_WORDS.stream().anyMatch(lower::contains);
	}

	static Map<String, Object> mask(Map<String, ?> snapshot) {
		if (snapshot == null) {
			return null;
		}
		Map<String, Object> masked = new LinkedHashMap<>();
		snapshot.forEach((key, value) -> masked.put(key, maskEntry(key, value)));
		return masked;
	}

	private static Object maskEntry(String key, Object value) {
		if (isSecretKey(key) && !isHarmless(key, value)) {
			return MASK;
		}
		return maskNested(value);
	}

	@SuppressWarnings("unchecked")
	private static Object maskNested(Object value) {
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> copy = new LinkedHashMap<>();
			((Map<Object, Object>) map).forEach((k, v) -> copy.put(String.valueOf(k), maskEntry(String.valueOf(k), v)));
			return copy;
		}
		if (value instanceof Collection<?> list) {
			List<Object> copy = new ArrayList<>();
			list.forEach(v -> copy.add(maskNested(v)));
			return copy;
		}
		return value;
	}

	private static boolean isHarmless(String key, Object value) {
		if (value == null || value instanceof Boolean) {
			return true;
		}
		String lower = key.toLowerCase(Locale.ROOT);
		return value instanceof Number && lower.endsWith("id");
	}

	/**
	 * The keys whose values differ, each as {@code {"before": …, "after": …}}, computed
	 * on the snapshots as published and then masked: a changed secret shows as changed,
	 * never its value.
	 */
	static Map<String, Object> diff(Map<String, ?> before, Map<String, ?> after) {
		Map<String, ?> from = before == null ? Map.of() : before;
		Map<String, ?> to = after == null ? Map.of() : after;
		TreeSet<String> keys = new TreeSet<>(from.keySet());
		keys.addAll(to.keySet());
		Map<String, Object> diff = new LinkedHashMap<>();
		for (String key : keys) {
			Object was = from.get(key);
			Object is = to.get(key);
			if (!Objects.equals(was, is) || from.containsKey(key) != to.containsKey(key)) {
				Map<String, Object> change = new LinkedHashMap<>();
				change.put("before", maskEntry(key, was));
				change.put("after", maskEntry(key, is));
				diff.put(key, change);
			}
		}
		return diff;
	}

}
