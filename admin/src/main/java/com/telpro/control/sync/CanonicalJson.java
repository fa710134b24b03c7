package com.telpro.control.sync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON form the writer hashes and publishes: compact, UTF-8, object keys in
 * ascending order. Equal content always gives equal bytes, so a hash of it tells whether
 * anything changed.
 */
final class CanonicalJson {

	/** Bean properties in the API's snake_case names (the published trunk's keys). */
	static final ObjectMapper MAPPER = JsonMapper.builder()
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.build();

	private static final HexFormat HEX = HexFormat.of();

	private CanonicalJson() {
	}

	static byte[] write(Object value) {
		try {
			return MAPPER.writeValueAsBytes(value);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String sha256Hex(byte[] bytes) {
		return HEX.formatHex(digest("SHA-256").digest(bytes));
	}

	static String md5Hex(byte[] bytes) {
		return HEX.formatHex(digest("MD5").digest(bytes));
	}

	private static MessageDigest digest(String algorithm) {
		try {
			return MessageDigest.getInstance(algorithm);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(algorithm + " is missing from this JVM", ex);
		}
	}

}
