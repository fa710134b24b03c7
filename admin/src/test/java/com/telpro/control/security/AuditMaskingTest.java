package com.telpro.control.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuditMaskingTest {

	@Test
	@SuppressWarnings("unchecked")
	void masksEveryKeyThatNamesASecretAtAnyDepth() {
		Map<String, Object> snapshot = new LinkedHashMap<>();
		snapshot.put("name", "carrier-a");
		snapshot.put("auth_pass", "hunter2-plain");
		snapshot.put("privateKey", "-----BEGIN PRIVATE KEY-----");
		snapshot.put("api_token", "tp_abc");
		snapshot.put("client_secret", "s3");
		snapshot.put("ha1", "0123abcd");
		snapshot.put("nested", Map.of("password", "deep-secret", "ok", "visible"));
		snapshot.put("list", List.of(Map.of("ha1b", "deep-ha1"), "plain"));
		snapshot.put("auth_pass_set", true);
		snapshot.put("tls_ca_secret_id", 7);
		snapshot.put("secret_note", 7.5);

		Map<String, Object> masked = AuditMasking.mask(snapshot);

		assertThat(masked.toString()).doesNotContain("hunter2-plain", "BEGIN PRIVATE", "tp_abc", "s3,", "0123abcd",
				"deep-secret", "deep-ha1");
		assertThat(masked).containsEntry("name", "carrier-a")
			.containsEntry("auth_pass", "***")
			.containsEntry("ha1", "***")
			.containsEntry("auth_pass_set", true)
			.containsEntry("tls_ca_secret_id", 7)
			.containsEntry("secret_note", "***");
		assertThat((Map<String, Object>) masked.get("nested")).containsEntry("ok", "visible")
			.containsEntry("password", "***");
	}

	@Test
	void theDiffShowsThatASecretChangedButNotItsValues() {
		Map<String, Object> before = Map.of("name", "a", "auth_pass", "old-secret-value", "priority", 10);
		Map<String, Object> after = Map.of("name", "a", "auth_pass", "new-secret-value", "priority", 20, "enabled",
				true);

		Map<String, Object> diff = AuditMasking.diff(before, after);

		assertThat(diff).containsOnlyKeys("auth_pass", "priority", "enabled");
		assertThat(diff.get("auth_pass")).isEqualTo(Map.of("before", "***", "after", "***"));
		assertThat(diff.get("priority")).isEqualTo(Map.of("before", 10, "after", 20));
		assertThat(diff.toString()).doesNotContain("secret-value");
	}

	@Test
	void createAndDeleteDiffAgainstNothing() {
		assertThat(AuditMasking.diff(null, Map.of("name", "a"))).containsOnlyKeys("name");
		assertThat(AuditMasking.diff(Map.of("name", "a"), null)).containsOnlyKeys("name");
		assertThat(AuditMasking.mask(null)).isNull();
	}

}
