package com.telpro.control.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.contract.RedisContract;
import com.telpro.control.security.AuditableChange;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The sync API against the real embedded PostgreSQL and Redis, read back as the contract
 * says.
 */
@SpringBootTest
@AutoConfigureMockMvc
@WithMockUser(username = "admin", roles = "ADMIN")
@RecordApplicationEvents
class SyncApiTests {

	private static final String PASSWORD = "Pl4intext-Secret-7781";

	@Autowired
	MockMvc mvc;

	@Autowired
	TrunkRepository trunks;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ApplicationEvents events;

	private final ObjectMapper json = new ObjectMapper();

	@BeforeEach
	void clean() {
		trunks.deleteAll();
		Trunks.clearContractKeys(redis);
	}

	@Test
	void publishesTheEnabledTrunksInMatchingOrderAsTheContractSays() throws Exception {
		Trunk twilio = trunks.save(Trunks.ipOnly("twilio", 20, "54.172.60.1/23", "2001:DB8:0:0:1::/32", "10.0.0.7"));
		Trunk carrier = trunks
			.save(Trunks.digest("carrier", 30, "^sip\\.carrier\\.example$", "carrier.example", "alice", PASSWORD));
		Trunk disabled = Trunks.ipOnly("disabled", 5, "192.0.2.0/24");
		disabled.setEnabled(false);
		trunks.save(disabled);
		Trunk janus = Trunks.ipOnly("janus", 10, "10.30.0.13/32");
		janus.setInternal(true);
		janus.setRequiresXCall(true);
		trunks.save(janus);

		mvc.perform(post("/api/sync"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.generation").isNumber())
			.andExpect(jsonPath("$.trunks").value(3))
			.andExpect(jsonPath("$.duration_ms").isNumber())
			.andExpect(jsonPath("$.content_hash").value(matchesPattern("[0-9a-f]{64}")));

		long generation = Long.parseLong(redis.opsForValue().get(RedisContract.GENERATION));
		JsonNode document = json.readTree(redis.opsForValue().get("telpro:v1:gen:" + generation));
		assertThat(document.get("layout").asInt()).isEqualTo(1);
		assertThat(document.get("generation").asLong()).isEqualTo(generation);
		assertThat(redis.getExpire("telpro:v1:gen:" + generation)).as("the live document never expires").isEqualTo(-1);
		List<String> names = new ArrayList<>();
		document.get("trunks").forEach(t -> names.add(t.get("name").asText()));
		assertThat(names).containsExactly("janus", "twilio", "carrier");

		JsonNode publishedTwilio = document.get("trunks").get(1);
		assertThat(publishedTwilio.get("id").asLong()).isEqualTo(twilio.getId());
		assertThat(json.convertValue(publishedTwilio.get("cidrs"), List.class)).containsExactly("54.172.60.0/23",
				"2001:db8::/32", "10.0.0.7/32");
		assertThat(publishedTwilio.get("ranges_v4").toString())
			.isEqualTo("[[" + 0x36AC3C00L + "," + 0x36AC3DFFL + "],[" + 0x0A000007L + "," + 0x0A000007L + "]]");
		assertThat(publishedTwilio.get("ranges_v6").toString())
			.isEqualTo("[[\"20010db8000000000000000000000000\",\"20010db8ffffffffffffffffffffffff\"]]");
		assertThat(publishedTwilio.get("auth_ha1").size()).isZero();
		assertThat(publishedTwilio.get("codecs").toString()).isEqualTo("[\"PCMA\",\"PCMU\"]");
		assertThat(publishedTwilio.get("max_calls_per_second").asInt()).isZero();
		assertThat(publishedTwilio.has("limit_response")).isTrue();
		assertThat(publishedTwilio.get("limit_response").isNull()).isTrue();

		JsonNode publishedCarrier = document.get("trunks").get(2);
		assertThat(publishedCarrier.get("id").asLong()).isEqualTo(carrier.getId());
		assertThat(publishedCarrier.get("auth_method").asText()).isEqualTo("digest");
		assertThat(publishedCarrier.get("auth_user").asText()).isEqualTo("alice");
		assertThat(json.convertValue(publishedCarrier.get("auth_ha1"), Map.class))
			.isEqualTo(Map.of("carrier.example", md5("alice:carrier.example:" + PASSWORD)));

		assertThat(document.get("trunks").get(0).get("is_internal").asBoolean()).isTrue();
		assertThat(document.get("trunks").get(0).get("requires_x_call").asBoolean()).isTrue();
	}

	@Test
	void aDigestTrunkWithoutRealmGetsOneHa1PerLiteralFromDomain() throws Exception {
		trunks.save(Trunks.digest("pbx", 30, "^(a\\.example\\.com|B\\.example\\.com)$", null, "bob", PASSWORD));
		trunks.save(Trunks.digest("wide", 40, ".*\\.example\\.com$", null, "carol", PASSWORD));

		mvc.perform(post("/api/sync")).andExpect(status().isOk());

		JsonNode published = liveDocument().get("trunks");
		assertThat(published.get(0).get("auth_realm").isNull()).isTrue();
		assertThat(json.convertValue(published.get(0).get("auth_ha1"), Map.class)).isEqualTo(Map.of("a.example.com",
				md5("bob:a.example.com:" + PASSWORD), "b.example.com", md5("bob:b.example.com:" + PASSWORD)));
		assertThat(published.get(1).get("auth_ha1").size())
			.as("no domain to compute an HA1 for: the proxy refuses the trunk (fail closed)")
			.isZero();
	}

	@Test
	void aDeletedTrunkIsGoneAfterTheNextSyncAndTheOldDocumentExpires() throws Exception {
		trunks.save(Trunks.ipOnly("stays", 10, "192.0.2.1"));
		Trunk leaving = trunks.save(Trunks.ipOnly("leaving", 20, "192.0.2.2"));
		mvc.perform(post("/api/sync")).andExpect(status().isOk());
		long first = Long.parseLong(redis.opsForValue().get(RedisContract.GENERATION));

		trunks.delete(leaving);
		mvc.perform(post("/api/sync")).andExpect(status().isOk());

		long second = Long.parseLong(redis.opsForValue().get(RedisContract.GENERATION));
		assertThat(second).isGreaterThan(first);
		JsonNode document = liveDocument();
		assertThat(document.get("trunks")).hasSize(1);
		assertThat(document.get("trunks").get(0).get("name").asText()).isEqualTo("stays");
		assertThat(redis.getExpire("telpro:v1:gen:" + first, TimeUnit.SECONDS)).isBetween(1L, 120L);
		assertThat(redis.getExpire("telpro:v1:gen:" + second)).isEqualTo(-1);
	}

	@Test
	void statusComparesWhatRedisServesWithWhatTheDatabaseWouldPublish() throws Exception {
		mvc.perform(get("/api/sync/status"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("never_synced"));

		Trunk changing = trunks.save(Trunks.ipOnly("changing", 10, "192.0.2.1"));
		Trunk removed = trunks.save(Trunks.ipOnly("removed", 20, "192.0.2.2"));
		trunks.save(Trunks.ipOnly("same", 30, "192.0.2.3"));
		mvc.perform(post("/api/sync")).andExpect(status().isOk());
		long generation = Long.parseLong(redis.opsForValue().get(RedisContract.GENERATION));

		mvc.perform(get("/api/sync/status"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("in_sync"))
			.andExpect(jsonPath("$.generation").value(generation))
			.andExpect(jsonPath("$.message")
				.value(matchesPattern("in sync since \\d\\d:\\d\\d, generation " + generation)))
			.andExpect(jsonPath("$.pending.total").value(0))
			.andExpect(jsonPath("$.last_sync.outcome").value("success"))
			.andExpect(jsonPath("$.last_sync.generation").value(generation));

		changing.setAllowedIps(List.of("192.0.2.9"));
		trunks.save(changing);
		trunks.delete(removed);
		trunks.save(Trunks.ipOnly("added", 40, "192.0.2.4"));

		mvc.perform(get("/api/sync/status"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("pending"))
			.andExpect(jsonPath("$.message").value("3 changes pending sync"))
			.andExpect(jsonPath("$.pending.added").value(1))
			.andExpect(jsonPath("$.pending.changed").value(1))
			.andExpect(jsonPath("$.pending.removed").value(1))
			.andExpect(jsonPath("$.generation").value(generation));

		Trunk disabled = trunks.findByName("added").orElseThrow();
		disabled.setEnabled(false);
		trunks.save(disabled);
		mvc.perform(get("/api/sync/status")).andExpect(jsonPath("$.message").value("2 changes pending sync"));

		// the drift view reuses its last build only while no row changed, however it was
		// changed
		jdbc.update("update trunk set priority = 35 where name = 'same'");
		mvc.perform(get("/api/sync/status")).andExpect(jsonPath("$.message").value("3 changes pending sync"));
	}

	@Test
	void syncingNeverWritesTrunkRowsAndIsAudited() throws Exception {
		trunks.save(Trunks.digest("carrier", 30, "^sip\\.carrier\\.example$", "carrier.example", "alice", PASSWORD));
		List<Map<String, Object>> before = jdbc.queryForList("select * from trunk order by id");

		String body = mvc.perform(post("/api/sync"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();

		assertThat(jdbc.queryForList("select * from trunk order by id")).isEqualTo(before);
		long generation = json.readTree(body).get("generation").asLong();
		assertThat(events.stream(AuditableChange.class)).singleElement().satisfies(change -> {
			assertThat(change.action()).isEqualTo("sync.publish");
			assertThat(change.targetType()).isEqualTo("sync");
			assertThat(change.targetId()).isEqualTo(Long.toString(generation));
			assertThat(change.after()).containsEntry("generation", generation).containsEntry("trunks", 1);
			assertThat(change.after().toString()).doesNotContain(PASSWORD);
		});
	}

	@Test
	void noKeyOrValueInRedisHoldsAPlaintextPassword() throws Exception {
		trunks.save(Trunks.digest("carrier", 30, "^sip\\.carrier\\.example$", "carrier.example", "alice", PASSWORD));
		trunks.save(Trunks.digest("pbx", 40, "^(a\\.example|b\\.example)$", null, "bob", PASSWORD + "-pbx"));
		mvc.perform(post("/api/sync")).andExpect(status().isOk());
		mvc.perform(post("/api/sync")).andExpect(status().isOk());
		mvc.perform(post("/api/x-calls").contentType(MediaType.APPLICATION_JSON).content("{\"trunk\":\"pbx\"}"))
			.andExpect(status().isCreated());

		int scanned = 0;
		try (Cursor<String> keys = redis.scan(ScanOptions.scanOptions().match("*").build())) {
			while (keys.hasNext()) {
				String key = keys.next();
				assertThat(key).doesNotContain(PASSWORD);
				assertThat(redis.type(key).code()).as("the contract has string keys only: %s", key).isEqualTo("string");
				String value = redis.opsForValue().get(key);
				assertThat(value).as(key).doesNotContain(PASSWORD);
				scanned++;
			}
		}
		assertThat(scanned).as("the sync and X-Call keys were there to be scanned").isGreaterThanOrEqualTo(4);
	}

	@Test
	void proxyHeartbeatsAreShownWithTheGenerationTheyRun() throws Exception {
		trunks.save(Trunks.ipOnly("twilio", 20, "54.172.60.0/23"));
		mvc.perform(post("/api/sync")).andExpect(status().isOk());
		long generation = Long.parseLong(redis.opsForValue().get(RedisContract.GENERATION));
		redis.opsForValue()
			.set("telpro:v1:proxy:edge-1", "{\"node\": \"edge-1\", \"generation\": " + generation
					+ ", \"loaded_at\": \"2026-11-24T10:42:07Z\", \"trunks\": 1, \"refused\": [{\"id\": 4, \"name\": \"bad\", "
					+ "\"reason\": \"regex\"}], \"seen_at\": \"2026-11-24T10:42:09Z\", \"future_field\": 1}");
		redis.opsForValue()
			.set("telpro:v1:proxy:edge-2", "{\"node\": \"edge-2\", \"generation\": 0, \"loaded_at\": null, "
					+ "\"trunks\": 0, \"refused\": [], \"seen_at\": \"2026-11-24T10:42:09Z\"}");

		mvc.perform(get("/api/sync/status"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.proxies.length()").value(2))
			.andExpect(jsonPath("$.proxies[0].node").value("edge-1"))
			.andExpect(jsonPath("$.proxies[0].current").value(true))
			.andExpect(jsonPath("$.proxies[0].refused[0].name").value("bad"))
			.andExpect(jsonPath("$.proxies[0].message")
				.value("proxy edge-1 on generation " + generation + " (latest " + generation + ")"))
			.andExpect(jsonPath("$.proxies[1].current").value(false))
			.andExpect(jsonPath("$.proxies[1].generation").value(0));
	}

	@Test
	void xCallIdsAreSingleValuesThatExpireInTwoMinutes() throws Exception {
		trunks.save(Trunks.ipOnly("janus", 10, "10.30.0.13"));

		String body = mvc
			.perform(post("/api/x-calls").contentType(MediaType.APPLICATION_JSON).content("{\"trunk\":\"janus\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.id").value(matchesPattern("[0-9a-f]{32}")))
			.andExpect(jsonPath("$.expires_in").value(120))
			.andReturn()
			.getResponse()
			.getContentAsString();
		String id = json.readTree(body).get("id").asText();
		JsonNode stored = json.readTree(redis.opsForValue().get("telpro:v1:xcall:" + id));
		assertThat(stored.get("trunk").asText()).isEqualTo("janus");
		assertThat(stored.get("created_at").asText()).isNotBlank();
		assertThat(redis.getExpire("telpro:v1:xcall:" + id, TimeUnit.SECONDS)).isBetween(1L, 120L);

		mvc.perform(post("/api/x-calls")).andExpect(status().isCreated());
		mvc.perform(post("/api/x-calls").contentType(MediaType.APPLICATION_JSON).content("{\"trunk\":\"nope\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("trunk"));
		mvc.perform(post("/api/x-calls").contentType(MediaType.APPLICATION_JSON).content("{\"trunc\":\"janus\"}"))
			.andExpect(status().isBadRequest());
	}

	private JsonNode liveDocument() throws Exception {
		return json
			.readTree(redis.opsForValue().get("telpro:v1:gen:" + redis.opsForValue().get(RedisContract.GENERATION)));
	}

	private static String md5(String text) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
	}

}
