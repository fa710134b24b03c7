package com.telpro.control.trunk;

import java.util.Locale;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Stores the enums in their spec spelling, so the database reads like the spec and the
 * API.
 */
final class WireEnumConverters {

	private WireEnumConverters() {
	}

	abstract static class Base<E extends Enum<E>> implements AttributeConverter<E, String> {

		private final Class<E> type;

		Base(Class<E> type) {
			this.type = type;
		}

		@Override
		public String convertToDatabaseColumn(E value) {
			return value == null ? null : value.name().toLowerCase(Locale.ROOT);
		}

		@Override
		public E convertToEntityAttribute(String value) {
			return WireValues.parse(type, value);
		}

	}

	@Converter
	static class AuthMethodConverter extends Base<AuthMethod> {

		AuthMethodConverter() {
			super(AuthMethod.class);
		}

	}

	@Converter
	static class SrtpModeConverter extends Base<SrtpMode> {

		SrtpModeConverter() {
			super(SrtpMode.class);
		}

	}

	@Converter
	static class PeerNameVerificationConverter extends Base<PeerNameVerification> {

		PeerNameVerificationConverter() {
			super(PeerNameVerification.class);
		}

	}

}
