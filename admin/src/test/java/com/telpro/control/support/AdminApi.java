package com.telpro.control.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The admin service's REST API as an operator's script calls it, signed in as the test
 * admin.
 */
public final class AdminApi {

	private final TestRestTemplate http;

	public AdminApi(TestRestTemplate http) {
		this.http = http;
	}

	/** POST /api/trunks; asserts 201 and returns the created trunk. */
	public JsonNode createTrunk(Map<String, Object> trunk) {
		return post("/api/trunks", trunk, HttpStatus.CREATED);
	}

	/** POST /api/sync; asserts success and returns the published generation. */
	public long sync() {
		return post("/api/sync", null, HttpStatus.OK).get("generation").asLong();
	}

	public JsonNode post(String path, Object body, HttpStatus expected) {
		ResponseEntity<JsonNode> response = http.exchange(path, HttpMethod.POST,
				new HttpEntity<>(body, TestUsers.adminHeaders()), JsonNode.class);
		assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(expected);
		return response.getBody();
	}

	/** GET; asserts 200. */
	public JsonNode get(String path) {
		ResponseEntity<JsonNode> response = http.exchange(path, HttpMethod.GET,
				new HttpEntity<>(TestUsers.adminHeaders()), JsonNode.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		return response.getBody();
	}

}
