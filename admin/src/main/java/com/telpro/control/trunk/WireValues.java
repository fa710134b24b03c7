package com.telpro.control.trunk;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The spec writes enum values in lower case ({@code source_ip}, {@code ip_only}); so do
 * we.
 */
final class WireValues {

	private WireValues() {
	}

	static <E extends Enum<E>> E parse(Class<E> type, String value) {
		if (value == null) {
			return null;
		}
		for (E constant : type.getEnumConstants()) {
			if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
				return constant;
			}
		}
		throw new IllegalArgumentException("must be one of " + Arrays.stream(type.getEnumConstants())
			.map(c -> c.name().toLowerCase(Locale.ROOT))
			.collect(Collectors.joining(", ")));
	}

}
