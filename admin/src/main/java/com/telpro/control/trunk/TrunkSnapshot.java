package com.telpro.control.trunk;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * A trunk's state for the audit log: its spec in the API's field names, with the id and
 * the password masked. Derived from {@link TrunkSpec}, so a new field is audited without
 * a line here.
 */
final class TrunkSnapshot {

	static final String MASK = "***";

	private static final ObjectMapper JSON = new ObjectMapper()
		.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.registerModule(new JavaTimeModule())
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

	private TrunkSnapshot() {
	}

	static Map<String, Object> of(Trunk t) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("id", t.getId());
		map.putAll(JSON.convertValue(t.spec(), new TypeReference<Map<String, Object>>() {
		}));
		map.put("auth_pass", t.isAuthPassSet() ? MASK : null);
		return map;
	}

}
