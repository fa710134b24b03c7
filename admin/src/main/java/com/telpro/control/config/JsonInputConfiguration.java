package com.telpro.control.config;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the API accepts as JSON text, for every request body: a string field takes a JSON
 * string only (no 12.5 or true turned into "12.5"), holds no NUL or other control
 * character but tab, CR and LF (PostgreSQL cannot store NUL; the rest only ever hides
 * things), and is at most {@value #MAX_STRING_LENGTH} characters long (a CA bundle PEM is
 * the largest legitimate value).
 */
@Configuration(proxyBeanMethods = false)
class JsonInputConfiguration {

	static final int MAX_STRING_LENGTH = 100_000;

	@Bean
	Jackson2ObjectMapperBuilderCustomizer strictJsonInput() {
		SimpleModule strings = new SimpleModule("telpro-strings");
		strings.addDeserializer(String.class, new PlainText());
		return builder -> builder.modulesToInstall(strings).postConfigurer(mapper -> {
			mapper.getFactory()
				.setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_LENGTH).build());
			mapper.coercionConfigFor(LogicalType.Textual)
				.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
		});
	}

	/** Jackson's own string reading, then a refusal of control characters. */
	static final class PlainText extends StdScalarDeserializer<String> {

		PlainText() {
			super(String.class);
		}

		@Override
		public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
			String value = StringDeserializer.instance.deserialize(parser, context);
			if (value != null) {
				for (int i = 0; i < value.length(); i++) {
					char c = value.charAt(i);
					if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
						return (String) context.handleWeirdStringValue(String.class, value,
								"must not contain control characters");
					}
				}
			}
			return value;
		}

		@Override
		public LogicalType logicalType() {
			return LogicalType.Textual;
		}

	}

}
