package com.telpro.control.admin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.telpro.control.security.AuditRecord;

/**
 * One line of the Audit tab: the entry, its target by name ("trunk twilio", not "trunk
 * 6"), and only the fields that say something: on a create the fields left empty are not
 * listed.
 */
record AuditRow(AuditRecord entry, String target, List<Change> changes) {

	/** One field: before → after, as shown (already masked by the audit log). */
	record Change(String field, Object before, Object after) {
	}

	/** Snapshot keys that name a target, in order of preference. */
	private static final List<String> NAME_KEYS = List.of("name", "username");

	static AuditRow of(AuditRecord e) {
		return new AuditRow(e, target(e), changes(e));
	}

	private static String target(AuditRecord e) {
		String type = e.targetType() == null ? "" : e.targetType();
		String name = name(e.after());
		if (name == null) {
			name = name(e.before());
		}
		if (name == null) {
			return e.targetId() == null ? type : type + " " + e.targetId();
		}
		return type + " " + name;
	}

	private static String name(Map<String, Object> snapshot) {
		if (snapshot == null) {
			return null;
		}
		for (String key : NAME_KEYS) {
			Object value = snapshot.get(key);
			if (value != null && !value.toString().isBlank()) {
				Object domain = snapshot.get("domain");
				return "username".equals(key) && domain != null ? value + "@" + domain : value.toString();
			}
		}
		return null;
	}

	private static List<Change> changes(AuditRecord e) {
		List<Change> changes = new ArrayList<>();
		if (e.diff() == null) {
			return changes;
		}
		boolean created = e.before() == null;
		boolean deleted = e.after() == null;
		e.diff().forEach((field, value) -> {
			Object before = value instanceof Map<?, ?> m ? m.get("before") : null;
			Object after = value instanceof Map<?, ?> m ? m.get("after") : value;
			boolean nothing = (isEmpty(before) || (created && isFalse(before)))
					&& (isEmpty(after) || ((created || deleted) && isFalse(after)));
			if (!nothing) {
				changes.add(new Change(field, before, after));
			}
		});
		return changes;
	}

	private static boolean isEmpty(Object value) {
		return value == null || (value instanceof CharSequence s && s.toString().isBlank())
				|| (value instanceof Collection<?> c && c.isEmpty()) || (value instanceof Map<?, ?> m && m.isEmpty());
	}

	/** On a create or delete, "off" and zero say nothing either. */
	private static boolean isFalse(Object value) {
		return Boolean.FALSE.equals(value) || (value instanceof Number n && n.doubleValue() == 0);
	}

}
