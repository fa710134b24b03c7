package com.telpro.control.lint;

import java.util.List;

/**
 * One problem of the trunk set.
 *
 * @param rule {@code shadowed}, {@code equal_priority_overlap},
 * {@code digest_without_tls}, {@code ca_expiring}, {@code matches_everything}
 * @param trunks the trunks concerned, the one to fix first
 */
public record LintFinding(String rule, String severity, List<TrunkRef> trunks, String message) {

	public record TrunkRef(long id, String name) {
	}

}
