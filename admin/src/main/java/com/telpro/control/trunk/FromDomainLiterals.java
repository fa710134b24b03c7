package com.telpro.control.trunk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The domains a From-domain pattern names literally, when it does:
 * {@code ^sip\.example\.com$} or {@code ^(a\.example|b\.example)$}. A digest trunk with
 * no realm is challenged with the caller's From domain, and Redis holds no password, so
 * the sync can only publish HA1s for domains it can enumerate; a wider pattern needs an
 * explicit realm.
 */
public final class FromDomainLiterals {

	private static final Pattern LITERAL = Pattern.compile("(?:[A-Za-z0-9-]|\\\\\\.)+");

	private FromDomainLiterals() {
	}

	public static Optional<List<String>> of(String pattern) {
		if (pattern == null || !pattern.startsWith("^") || !pattern.endsWith("$") || pattern.endsWith("\\$")) {
			return Optional.empty();
		}
		String body = pattern.substring(1, pattern.length() - 1);
		if (body.startsWith("(") && body.endsWith(")")) {
			body = body.substring(body.startsWith("(?:") ? 3 : 1, body.length() - 1);
		}
		List<String> domains = new ArrayList<>();
		for (String alternative : body.split("\\|", -1)) {
			if (!LITERAL.matcher(alternative).matches()) {
				return Optional.empty();
			}
			domains.add(alternative.replace("\\.", ".").toLowerCase(Locale.ROOT));
		}
		return Optional.of(List.copyOf(domains));
	}

}
