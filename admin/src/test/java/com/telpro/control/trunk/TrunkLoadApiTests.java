package com.telpro.control.trunk;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

/**
 * GET /api/trunks/{id} and the SIP Trunks tab show a trunk's live calls and calls per
 * second from the edges' call-limit keys, written here as REDIS-CONTRACT.md ("Call
 * limits") says the edges write them: platform-wide and per edge, expired members not
 * counted.
 */
@SpringBootTest
@AutoConfigureMockMvc
@WithMockUser(username = "admin", roles = "ADMIN")
class TrunkLoadApiTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	ObjectMapper json;

	@Autowired
	TrunkRepository repository;

	@Autowired
	StringRedisTemplate redis;

	@BeforeEach
	void clean() {
		repository.deleteAll();
	}

	@Test
	void aTrunksLiveCallsAndCpsArePlatformWideAndPerEdge() throws Exception {
		Map<String, Object> trunk = TrunkApiTests.twilio();
		trunk.put("max_concurrent_calls", 10);
		trunk.put("max_calls_per_second", 5);
		JsonNode created = json.readTree(mvc
			.perform(
					post("/api/trunks").contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(trunk)))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString());
		long id = created.get("id").asLong();
		String calls = "telpro:v1:limits:" + id + ":calls";
		String cps = "telpro:v1:limits:" + id + ":cps";
		long now = redis.execute((RedisCallback<Long>) RedisConnection::time);
		// only this test's edges: edges of other test classes may still be registered in
		// the shared Redis
		redis.delete(java.util.List.of(calls, cps, "telpro:v1:limits:edges"));
		redis.opsForZSet().add(calls, "edge-a/" + "1".repeat(32), now + 60_000);
		redis.opsForZSet().add(calls, "edge-a/" + "2".repeat(32), now + 60_000);
		redis.opsForZSet().add(calls, "edge-b/" + "3".repeat(32), now + 60_000);
		redis.opsForZSet().add(calls, "edge-b/" + "4".repeat(32), now - 1_000); // expired:
																				// a dead
																				// edge's
																				// call
		redis.opsForZSet().add(cps, "edge-b/" + "3".repeat(32), now - 200);
		redis.opsForZSet().add(cps, "edge-a/" + "9".repeat(32), now - 5_000); // outside
																				// the
																				// last
																				// second
		redis.opsForZSet().add("telpro:v1:limits:edges", "edge-a", now + 15_000);
		redis.opsForZSet().add("telpro:v1:limits:edges", "edge-b", now + 15_000);
		redis.opsForZSet().add("telpro:v1:limits:edges", "edge-c", now + 15_000);
		try {
			mvc.perform(get("/api/trunks/" + id))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.load.available").value(true))
				.andExpect(jsonPath("$.load.calls_now").value(3))
				.andExpect(jsonPath("$.load.max_concurrent_calls").value(10))
				.andExpect(jsonPath("$.load.calls_per_second_now").value(1))
				.andExpect(jsonPath("$.load.max_calls_per_second").value(5))
				.andExpect(jsonPath("$.load.edges[*].node").value(Matchers.contains("edge-a", "edge-b", "edge-c")))
				.andExpect(jsonPath("$.load.edges[*].calls_now").value(Matchers.contains(2, 1, 0)))
				.andExpect(jsonPath("$.load.edges[*].calls_per_second_now").value(Matchers.contains(0, 1, 0)));
			// the list stays cheap: no per-trunk Redis figures in the API list
			mvc.perform(get("/api/trunks")).andExpect(jsonPath("$[0].load").doesNotExist());
			// the SIP Trunks tab shows calls now / cap and CPS
			mvc.perform(get("/admin-settings"))
				.andExpect(status().isOk())
				.andExpect(content().string(Matchers.containsString("3 / 10")))
				.andExpect(content().string(Matchers.containsString("1 / 5 CPS")));
			mvc.perform(get("/admin-settings/trunks/" + id))
				.andExpect(status().isOk())
				.andExpect(content().string(Matchers.containsString("edge-b")));
		}
		finally {
			redis.delete(java.util.List.of(calls, cps, "telpro:v1:limits:edges"));
		}
	}

}
