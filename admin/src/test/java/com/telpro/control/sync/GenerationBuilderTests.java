package com.telpro.control.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.trunk.Trunk;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.test.util.ReflectionTestUtils;

class GenerationBuilderTests {

	private final GenerationBuilder builder = new GenerationBuilder(
			new StaticListableBeanFactory().getBeanProvider(CaCertificateFingerprints.class));

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void eachHashIsTheCanonicalJsonOfTheTrunkWithoutItEvenWhenAValueLooksLikeTheHashField() throws Exception {
		String trap = "\",\"hash\":\"" + "0".repeat(64) + "\"";
		Trunk tricky = Trunks.digest("tricky", 10, "^(hash|a\\.example)$", null, "u", "p");
		tricky.setUserAgentPattern(trap);
		ReflectionTestUtils.setField(tricky, "id", 7L);
		Trunk plain = Trunks.ipOnly("plain", 5, "2001:db8::1", "0.0.0.0/0", "::/0");
		ReflectionTestUtils.setField(plain, "id", 8L);

		GenerationDocument document = builder.build(List.of(tricky, plain));

		Map<String, Object> parsed = json.readValue(document.toJson(3, java.time.Instant.EPOCH), new TypeReference<>() {
		});
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> trunks = (List<Map<String, Object>>) parsed.get("trunks");
		assertThat(trunks).extracting(t -> t.get("name")).containsExactly("plain", "tricky");
		assertThat(trunks.get(1).get("user_agent_pattern")).isEqualTo(trap);
		for (Map<String, Object> trunk : trunks) {
			Map<String, Object> withoutHash = new LinkedHashMap<>(trunk);
			Object hash = withoutHash.remove("hash");
			assertThat(hash).isEqualTo(CanonicalJson.sha256Hex(CanonicalJson.write(withoutHash)));
		}
		assertThat(document.trunkHashes()).containsEntry(7L, (String) trunks.get(1).get("hash"));
		assertThat(document.contentHash()).isEqualTo(CanonicalJson.sha256Hex(CanonicalJson.write(trunks)));
		assertThat(trunks.get(0).get("ranges_v6"))
			.isEqualTo(List.of(List.of("20010db8000000000000000000000001", "20010db8000000000000000000000001"),
					List.of("00000000000000000000000000000000", "ffffffffffffffffffffffffffffffff")));
		assertThat(trunks.get(0).get("ranges_v4")).isEqualTo(List.of(List.of(0, 4294967295L)));
		assertThat(new String(document.toJson(3, java.time.Instant.EPOCH), StandardCharsets.UTF_8))
			.startsWith("{\"content_hash\":\"" + document.contentHash() + "\",\"generation\":3,\"layout\":1,");
	}

}
