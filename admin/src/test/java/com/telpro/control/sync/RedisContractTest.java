package com.telpro.control.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.contract.RedisContract;
import com.telpro.control.trunk.AuthMethod;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.PeerNameVerification;
import com.telpro.control.trunk.SrtpMode;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Java side of "tests on both sides against the contract": reads a published
 * generation back from Redis and checks every key name, field name and type against the
 * tables of {@code kamailio/REDIS-CONTRACT.md} itself, so the document and the writer
 * cannot drift apart.
 */
@SpringBootTest
class RedisContractTest {

	private static final Path CONTRACT = Path.of("kamailio/REDIS-CONTRACT.md");

	private static final Pattern ROW = Pattern.compile("^\\|(.+?)\\|(.+?)\\|(.*)\\|\\s*$");

	private static final Pattern NAME = Pattern.compile("`([^`]+)`");

	private static final Pattern QUOTED = Pattern.compile("\"([a-z_]+)\"");

	private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");

	private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

	@Autowired
	SyncService sync;

	@Autowired
	TrunkRepository trunks;

	@Autowired
	StringRedisTemplate redis;

	private final ObjectMapper json = new ObjectMapper();

	@BeforeEach
	void clean() {
		trunks.deleteAll();
		Trunks.clearContractKeys(redis);
	}

	@Test
	void everyKeyTheContractListsIsTheOneTheWriterUses() throws Exception {
		Map<String, String> keys = table("## Keys");
		assertThat(keys.keySet()).containsExactlyInAnyOrder(RedisContract.GENERATION, RedisContract.GENERATION_SEQ,
				RedisContract.document(0).replace("0", "<G>"), RedisContract.EVENTS, RedisContract.proxy("<node>"),
				RedisContract.xCall("<id>"), RedisContract.TLS_CA_BUNDLE, RedisContract.TLS_CA_BUNDLE_SHA256,
				RedisContract.TLS_WATCHER_PREFIX + "<node>", RedisContract.CALLS,
				RedisContract.limitCalls(0).replace("0", "<trunk id>"),
				RedisContract.limitCps(0).replace("0", "<trunk id>"), RedisContract.LIMITS_EDGES);
		assertThat(RedisContract.PREFIX).isEqualTo("telpro:v" + RedisContract.LAYOUT + ":");
		assertThat(contract()).contains("Layout version: **" + RedisContract.LAYOUT + "**");
	}

	@Test
	void aPublishedGenerationHasExactlyTheFieldsAndTypesOfTheContractTable() throws Exception {
		trunks.save(everyFieldSet());
		trunks.save(Trunks.ipOnly("bare", 90, "192.0.2.7"));
		long generation = sync.syncAll("contract-test").generation();

		assertThat(redis.opsForValue().get(RedisContract.GENERATION)).isEqualTo(Long.toString(generation));
		String value = redis.opsForValue().get(RedisContract.document(generation));
		JsonNode document = json.readTree(value);
		assertThat(fieldNames(document)).containsExactlyInAnyOrder("layout", "generation", "published_at",
				"content_hash", "trunks");
		assertThat(document.get("layout").isIntegralNumber()).isTrue();
		assertThat(document.get("layout").asInt()).isEqualTo(RedisContract.LAYOUT);
		assertThat(document.get("generation").asLong()).isEqualTo(generation);
		assertThat(document.get("published_at").asText())
			.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
		assertThat(document.get("content_hash").asText()).matches(HEX64);

		Map<String, String> fields = table("## The generation document");
		assertThat(document.get("trunks")).hasSize(2);
		for (JsonNode trunk : document.get("trunks")) {
			assertThat(fieldNames(trunk)).as("the fields of trunk %s", trunk.get("name"))
				.containsExactlyInAnyOrderElementsOf(fields.keySet())
				.isSorted();
			fields.forEach((field, type) -> checkType(field, type, trunk.get(field)));
		}

		List<Map<String, Object>> published = json.readValue(json.treeAsTokens(document.get("trunks")),
				new TypeReference<>() {
				});
		assertThat(CanonicalJson.sha256Hex(CanonicalJson.write(published)))
			.isEqualTo(document.get("content_hash").asText());
		for (Map<String, Object> trunk : published) {
			Map<String, Object> withoutHash = new LinkedHashMap<>(trunk);
			Object hash = withoutHash.remove("hash");
			assertThat(CanonicalJson.sha256Hex(CanonicalJson.write(withoutHash))).isEqualTo(hash);
		}
	}

	private static Trunk everyFieldSet() {
		Trunk trunk = Trunks.digest("full", 10, "^sip\\.full\\.example$", "full.example", "alice", "secret-pw");
		trunk.setIdentifyBy(EnumSet.allOf(IdentifyMethod.class));
		trunk.setAuthMethod(AuthMethod.IP_AND_DIGEST);
		trunk.setAllowedIps(List.of("54.172.60.0/23", "2001:db8::/32"));
		trunk.setUserAgentPattern("^Twilio.*");
		trunk.setSrtpMode(SrtpMode.REQUIRE);
		trunk.setSymmetricRtp(true);
		trunk.setRequireTls(true);
		trunk.setVerifyPeer(true);
		trunk.setRequireClientCert(true);
		trunk.setPeerNameVerification(PeerNameVerification.ENABLED);
		trunk.setTlsRemoteSubjectName("trunk.pstn.twilio.com");
		trunk.setUniqueIdHeader("X-Twilio-CallSid");
		trunk.setInternal(true);
		trunk.setRequiresXCall(true);
		trunk.setMaxConcurrentCalls(30);
		trunk.setCodecPreferences(List.of("PCMU", "G722"));
		return trunk;
	}

	private static void checkType(String field, String type, JsonNode value) {
		String description = field + " (" + type + ") = " + value;
		assertThat(value).as(description).isNotNull();
		if (value.isNull()) {
			assertThat(type).as(description).contains("or null");
			return;
		}
		List<String> allowed = new ArrayList<>();
		Matcher quoted = QUOTED.matcher(type);
		while (quoted.find()) {
			allowed.add(quoted.group(1));
		}
		if (type.startsWith("array of `[lo, hi]`")) {
			assertThat(value.isArray()).as(description).isTrue();
			for (JsonNode range : value) {
				assertThat(range).as(description).hasSize(2);
				checkRangeBound(field, range.get(0), description);
				checkRangeBound(field, range.get(1), description);
				assertThat(bound(range.get(0))).as(description).isLessThanOrEqualTo(bound(range.get(1)));
			}
		}
		else if (type.startsWith("array of") && !allowed.isEmpty()) {
			assertThat(value.isArray()).as(description).isTrue();
			value.forEach(v -> assertThat(v.asText()).as(description).isIn(allowed));
		}
		else if (type.equals("array of strings")) {
			assertThat(value.isArray()).as(description).isTrue();
			value.forEach(v -> assertThat(v.isTextual()).as(description).isTrue());
		}
		else if (!allowed.isEmpty()) {
			assertThat(value.isTextual()).as(description).isTrue();
			assertThat(value.asText()).as(description).isIn(allowed);
		}
		else if (type.startsWith("integer")) {
			assertThat(value.isIntegralNumber()).as(description).isTrue();
			if (type.contains("0–1000")) {
				assertThat(value.asInt()).as(description).isBetween(0, 1000);
			}
			if (type.contains("≥ 0")) {
				assertThat(value.asInt()).as(description).isNotNegative();
			}
		}
		else if (type.startsWith("string")) {
			assertThat(value.isTextual()).as(description).isTrue();
			if (field.equals("hash")) {
				assertThat(value.asText()).as(description).matches(HEX64);
			}
		}
		else if (type.equals("boolean")) {
			assertThat(value.isBoolean()).as(description).isTrue();
		}
		else if (type.equals("object realm → hex")) {
			assertThat(value.isObject()).as(description).isTrue();
			value.properties().forEach(e -> assertThat(e.getValue().asText()).as(description).matches(HEX32));
		}
		else {
			fail("The contract gives %s the type '%s', which this test does not know: teach it", field, type);
		}
	}

	private static void checkRangeBound(String field, JsonNode bound, String description) {
		if (field.endsWith("_v4")) {
			assertThat(bound.isIntegralNumber()).as(description).isTrue();
			assertThat(bound.asLong()).as(description).isBetween(0L, 0xFFFF_FFFFL);
		}
		else {
			assertThat(bound.isTextual()).as(description).isTrue();
			assertThat(bound.asText()).as(description).matches(HEX32);
		}
	}

	private static BigInteger bound(JsonNode bound) {
		return bound.isTextual() ? new BigInteger(bound.asText(), 16) : BigInteger.valueOf(bound.asLong());
	}

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new ArrayList<>();
		Iterator<String> it = node.fieldNames();
		it.forEachRemaining(names::add);
		return names;
	}

	/**
	 * The rows of the first table after {@code heading}: every back-quoted name of column
	 * 1 → column 2.
	 */
	private static Map<String, String> table(String heading) throws Exception {
		List<String> lines = contract().lines().toList();
		int start = lines.indexOf(heading);
		assertThat(start).as("heading %s in the contract", heading).isNotNegative();
		Map<String, String> rows = new LinkedHashMap<>();
		boolean inTable = false;
		for (String line : lines.subList(start + 1, lines.size())) {
			if (!line.startsWith("|")) {
				if (inTable) {
					break;
				}
				continue;
			}
			inTable = true;
			Matcher row = ROW.matcher(line);
			if (!row.matches() || row.group(1).contains("---")) {
				continue;
			}
			Set<String> names = new LinkedHashSet<>();
			Matcher name = NAME.matcher(row.group(1));
			while (name.find()) {
				names.add(name.group(1));
			}
			String second = row.group(2).strip();
			names.forEach(n -> rows.put(n, second));
		}
		assertThat(rows).as("rows of the table after %s", heading).isNotEmpty();
		return rows;
	}

	private static String contract() throws Exception {
		return Files.readString(CONTRACT, StandardCharsets.UTF_8);
	}

}
