package com.telpro.control.trunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.secret.SecretCipher;
import com.telpro.control.security.AuditableChange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.security.test.context.support.WithMockUser;

@SpringBootTest
@AutoConfigureMockMvc
@WithMockUser(username = "admin", roles = "ADMIN")
@RecordApplicationEvents
@ExtendWith(OutputCaptureExtension.class)
class TrunkApiTests {

	static final String PASSWORD = "Plain-Text-Pass-4711";

	static final Object REMOVE = new Object();

	@Autowired
	MockMvc mvc;

	@Autowired
	ObjectMapper json;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TrunkRepository repository;

	@Autowired
	ApplicationEvents events;

	@Autowired
	SecretCipher cipher;

	@BeforeEach
	void clean() {
		repository.deleteAll();
	}

	static Map<String, Object> twilio() {
		Map<String, Object> t = new LinkedHashMap<>();
		t.put("name", "Twilio production");
		t.put("identify_by", List.of("source_ip", "from_domain"));
		t.put("allowed_ips", List.of("54.172.60.0/23"));
		t.put("from_domain_pattern", ".*\\.twilio\\.com$");
		t.put("auth_method", "ip_only");
		t.put("require_tls", true);
		t.put("srtp_mode", "require");
		t.put("symmetric_rtp", true);
		t.put("unique_id_header", "X-Twilio-CallSid");
		t.put("priority", 20);
		return t;
	}

	static Map<String, Object> janus() {
		Map<String, Object> t = new LinkedHashMap<>();
		t.put("name", "Janus internal");
		t.put("identify_by", List.of("source_ip"));
		t.put("allowed_ips", List.of("10.30.0.13/32"));
		t.put("auth_method", "ip_only");
		t.put("is_internal", true);
		t.put("requires_x_call", true);
		t.put("priority", 10);
		return t;
	}

	/**
	 * A digest trunk that passes every rule; the validation cases break one thing each.
	 */
	static Map<String, Object> digest() {
		Map<String, Object> t = new LinkedHashMap<>();
		t.put("name", "Carrier digest");
		t.put("identify_by", List.of("source_ip", "from_domain"));
		t.put("allowed_ips", List.of("192.0.2.0/24"));
		t.put("from_domain_pattern", "^sip\\.carrier\\.example$");
		t.put("auth_method", "ip_and_digest");
		t.put("auth_realm", "");
		t.put("auth_user", "carrier");
		t.put("auth_pass", PASSWORD);
		return t;
	}

	ResultActions create(Map<String, Object> trunk) throws Exception {
		return mvc.perform(
				post("/api/trunks").contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(trunk)));
	}

	@Test
	void aBodyThatIsNotDeclaredJsonIs415AndNothingIsStored() throws Exception {
		String before = tableDump();
		for (MediaType type : List.of(MediaType.TEXT_PLAIN, MediaType.APPLICATION_FORM_URLENCODED,
				MediaType.APPLICATION_XML)) {
			mvc.perform(post("/api/trunks").contentType(type).content(json.writeValueAsString(twilio())))
				.andExpect(status().isUnsupportedMediaType())
				.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.status").value(415));
		}
		mvc.perform(post("/api/trunks").content(json.writeValueAsString(twilio())))
			.andExpect(status().isUnsupportedMediaType());
		assertThat(tableDump()).isEqualTo(before);
	}

	JsonNode created(Map<String, Object> trunk) throws Exception {
		MvcResult result = create(trunk).andExpect(status().isCreated()).andReturn();
		return json.readTree(result.getResponse().getContentAsString());
	}

	String tableDump() {
		return jdbc.queryForList("select * from trunk order by id").toString();
	}

	@Test
	void twilioExampleRoundTripsWithDefaultsForEveryOmittedField() throws Exception {
		MvcResult result = create(twilio()).andExpect(status().isCreated()).andReturn();
		JsonNode body = json.readTree(result.getResponse().getContentAsString());
		long id = body.get("id").asLong();
		assertThat(result.getResponse().getHeader("Location")).endsWith("/api/trunks/" + id);

		mvc.perform(get("/api/trunks/" + id))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name").value("Twilio production"))
			.andExpect(jsonPath("$.enabled").value(true))
			.andExpect(jsonPath("$.priority").value(20))
			.andExpect(jsonPath("$.identify_by").value(org.hamcrest.Matchers.contains("source_ip", "from_domain")))
			.andExpect(jsonPath("$.allowed_ips").value(org.hamcrest.Matchers.contains("54.172.60.0/23")))
			.andExpect(jsonPath("$.from_domain_pattern").value(".*\\.twilio\\.com$"))
			.andExpect(jsonPath("$.user_agent_pattern").doesNotExist())
			.andExpect(jsonPath("$.auth_method").value("ip_only"))
			.andExpect(jsonPath("$.auth_pass_set").value(false))
			.andExpect(jsonPath("$.srtp_mode").value("require"))
			.andExpect(jsonPath("$.symmetric_rtp").value(true))
			.andExpect(jsonPath("$.require_tls").value(true))
			.andExpect(jsonPath("$.verify_peer").value(false))
			.andExpect(jsonPath("$.require_client_cert").value(false))
			.andExpect(jsonPath("$.peer_name_verification").value("disabled"))
			.andExpect(jsonPath("$.unique_id_header").value("X-Twilio-CallSid"))
			.andExpect(jsonPath("$.is_internal").value(false))
			.andExpect(jsonPath("$.requires_x_call").value(false))
			.andExpect(jsonPath("$.max_concurrent_calls").value(0))
			.andExpect(jsonPath("$.max_calls_per_second").value(0))
			.andExpect(jsonPath("$.limit_response").value(org.hamcrest.Matchers.nullValue()))
			.andExpect(jsonPath("$.codec_preferences").value(org.hamcrest.Matchers.contains("PCMA", "PCMU")))
			.andExpect(jsonPath("$.version").value(0))
			.andExpect(jsonPath("$.created_at").isNotEmpty())
			.andExpect(jsonPath("$.updated_at").isNotEmpty());
	}

	@Test
	void janusExampleRoundTrips() throws Exception {
		long id = created(janus()).get("id").asLong();
		mvc.perform(get("/api/trunks/" + id))
			.andExpect(jsonPath("$.name").value("Janus internal"))
			.andExpect(jsonPath("$.priority").value(10))
			.andExpect(jsonPath("$.identify_by").value(org.hamcrest.Matchers.contains("source_ip")))
			.andExpect(jsonPath("$.allowed_ips").value(org.hamcrest.Matchers.contains("10.30.0.13/32")))
			.andExpect(jsonPath("$.auth_method").value("ip_only"))
			.andExpect(jsonPath("$.is_internal").value(true))
			.andExpect(jsonPath("$.requires_x_call").value(true))
			.andExpect(jsonPath("$.srtp_mode").value("disabled"));
	}

	@Test
	void listIsOrderedByPriorityThenName() throws Exception {
		created(twilio());
		created(janus());
		Map<String, Object> b = janus();
		b.put("name", "B same priority");
		b.put("allowed_ips", List.of("10.30.0.14"));
		created(b);
		mvc.perform(get("/api/trunks"))
			.andExpect(jsonPath("$[*].name")
				.value(org.hamcrest.Matchers.contains("B same priority", "Janus internal", "Twilio production")))
			.andExpect(jsonPath("$[0].allowed_ips[0]").value("10.30.0.14/32"));
	}

	@Test
	void theListFollowsEveryChangeOfTheTableEvenOneMadeBehindTheServicesBack() throws Exception {
		created(twilio());
		long janus = created(janus()).get("id").asLong();
		mvc.perform(get("/api/trunks"))
			.andExpect(
					jsonPath("$[*].name").value(org.hamcrest.Matchers.contains("Janus internal", "Twilio production")));

		// plain SQL: no version bump, no updated_at; the list is reused only while no row
		// changed
		jdbc.update("update trunk set priority = 30 where id = ?", janus);
		mvc.perform(get("/api/trunks"))
			.andExpect(
					jsonPath("$[*].name").value(org.hamcrest.Matchers.contains("Twilio production", "Janus internal")));

		Map<String, Object> b = janus();
		b.put("name", "B first");
		b.put("allowed_ips", List.of("10.30.0.14"));
		b.put("priority", 1);
		created(b);
		mvc.perform(post("/api/trunks/" + janus + "/disable")).andExpect(status().isOk());
		mvc.perform(get("/api/trunks"))
			.andExpect(jsonPath("$[*].name")
				.value(org.hamcrest.Matchers.contains("B first", "Twilio production", "Janus internal")))
			.andExpect(jsonPath("$[2].enabled").value(false));
		repository.deleteById(janus);
		mvc.perform(get("/api/trunks"))
			.andExpect(jsonPath("$[*].name").value(org.hamcrest.Matchers.contains("B first", "Twilio production")));
	}

	@Test
	void passwordIsEncryptedAtRestAndNeverReturnedOrLogged(CapturedOutput output) throws Exception {
		int logStart = output.getAll().length();
		JsonNode body = created(digest());
		long id = body.get("id").asLong();
		assertThat(body.has("auth_pass")).isFalse();
		assertThat(body.get("auth_pass_set").asBoolean()).isTrue();

		String column = jdbc.queryForObject("select auth_pass_encrypted from trunk where id = ?", String.class, id);
		assertThat(column).isNotBlank().doesNotContain(PASSWORD);
		assertThat(tableDump()).doesNotContain(PASSWORD);

		List<String> responses = new ArrayList<>();
		responses.add(body.toString());
		responses.add(mvc.perform(get("/api/trunks/" + id)).andReturn().getResponse().getContentAsString());
		responses.add(mvc.perform(get("/api/trunks")).andReturn().getResponse().getContentAsString());
		Map<String, Object> change = digest();
		change.put("version", 0);
		change.put("priority", 30);
		responses.add(mvc
			.perform(put("/api/trunks/" + id).contentType(MediaType.APPLICATION_JSON)
				.content(json.writeValueAsString(change)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
		responses
			.add(mvc.perform(post("/api/trunks/" + id + "/disable")).andReturn().getResponse().getContentAsString());
		// A rejected request with the password in it must not echo it either.
		Map<String, Object> bad = digest();
		bad.put("name", "Other");
		bad.put("allowed_ips", List.of("not-an-ip"));
		responses.add(create(bad).andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString());
		assertThat(responses).allSatisfy(r -> assertThat(r).doesNotContain(PASSWORD).doesNotContain("\"auth_pass\""));

		assertThat(events.stream(AuditableChange.class)).isNotEmpty()
			.allSatisfy(e -> assertThat(String.valueOf(e.before()) + e.after()).doesNotContain(PASSWORD));
		assertThat(output.getAll().substring(logStart)).contains("Trunk " + id + " updated").doesNotContain(PASSWORD);
	}

	@Test
	void replaceWithoutPasswordKeepsItAndSwitchingToIpOnlyClearsIt() throws Exception {
		long id = created(digest()).get("id").asLong();
		Map<String, Object> change = digest();
		change.remove("auth_pass");
		change.put("version", 0);
		change.put("max_concurrent_calls", 5);
		change.put("max_calls_per_second", 10);
		change.put("limit_response", 480);
		mvc.perform(put("/api/trunks/" + id).contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(change)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.auth_pass_set").value(true))
			.andExpect(jsonPath("$.max_concurrent_calls").value(5))
			.andExpect(jsonPath("$.max_calls_per_second").value(10))
			.andExpect(jsonPath("$.limit_response").value(480))
			.andExpect(jsonPath("$.version").value(1));
		assertThat(cipher
			.decrypt(jdbc.queryForObject("select auth_pass_encrypted from trunk where id = ?", String.class, id)))
			.isEqualTo(PASSWORD);

		change.put("version", 1);
		change.put("auth_method", "ip_only");
		mvc.perform(put("/api/trunks/" + id).contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(change)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.auth_pass_set").value(false))
			.andExpect(jsonPath("$.auth_user").doesNotExist());
		assertThat(jdbc.queryForObject("select auth_pass_encrypted from trunk where id = ?", String.class, id))
			.isNull();
	}

	@Test
	void aFetchedTrunkCanBeSentBackUnchanged() throws Exception {
		long id = created(twilio()).get("id").asLong();
		String fetched = mvc.perform(get("/api/trunks/" + id)).andReturn().getResponse().getContentAsString();
		mvc.perform(put("/api/trunks/" + id).contentType(MediaType.APPLICATION_JSON).content(fetched))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.version").value(0));
		assertThat(tableDump()).contains("Twilio production");
		assertThat(events.stream(AuditableChange.class).map(AuditableChange::action)).containsExactly("trunk.create");
	}

	@Test
	void openApiDescribesTheTrunkApi() throws Exception {
		mvc.perform(get("/v3/api-docs"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paths['/api/trunks']").exists())
			.andExpect(jsonPath("$.paths['/api/trunks/{id}/enable']").exists())
			.andExpect(jsonPath("$.components.schemas.TrunkSpec.properties.requires_x_call").exists())
			.andExpect(jsonPath("$.components.schemas.TrunkSpec.properties.from_domain_pattern").exists())
			.andExpect(jsonPath("$.components.schemas.TrunkSpec.properties.auth_method.enum")
				.value(org.hamcrest.Matchers.contains("ip_only", "digest", "ip_and_digest")))
			.andExpect(jsonPath("$.components.schemas.TrunkResponse.properties.auth_pass_set").exists())
			.andExpect(jsonPath("$.components.schemas.TrunkResponse.properties.auth_pass").doesNotExist());
	}

	@Test
	void duplicateNameIsAConflict() throws Exception {
		created(twilio());
		String before = tableDump();
		Map<String, Object> again = janus();
		again.put("name", "Twilio production");
		create(again).andExpect(status().isConflict())
			.andExpect(jsonPath("$.errors[0].field").value("name"))
			.andExpect(jsonPath("$.detail").value(containsString("already exists")));
		assertThat(tableDump()).isEqualTo(before);
	}

	@Test
	void staleVersionIsAConflict() throws Exception {
		long id = created(twilio()).get("id").asLong();
		Map<String, Object> first = twilio();
		first.put("version", 0);
		first.put("priority", 21);
		mvc.perform(put("/api/trunks/" + id).contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(first))).andExpect(status().isOk());
		String before = tableDump();
		Map<String, Object> stale = twilio();
		stale.put("version", 0);
		stale.put("priority", 99);
		mvc.perform(put("/api/trunks/" + id).contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(stale)))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.errors[0].field").value("version"));
		assertThat(tableDump()).isEqualTo(before);
	}

	@Test
	void replaceWithoutVersionIsRejected() throws Exception {
		long id = created(twilio()).get("id").asLong();
		mvc.perform(put("/api/trunks/" + id).contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(twilio())))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[*].field").value(hasItem("version")));
	}

	@Test
	void enableDisableDeleteAndNotFound() throws Exception {
		long id = created(janus()).get("id").asLong();
		mvc.perform(post("/api/trunks/" + id + "/disable"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.enabled").value(false));
		assertThat(jdbc.queryForObject("select enabled from trunk where id = ?", Boolean.class, id)).isFalse();
		mvc.perform(post("/api/trunks/" + id + "/enable"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.enabled").value(true));
		mvc.perform(delete("/api/trunks/" + id)).andExpect(status().isNoContent());
		mvc.perform(get("/api/trunks/" + id))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.status").value(404))
			.andExpect(header().string("Content-Type", containsString("application/problem+json")));
		mvc.perform(delete("/api/trunks/" + id)).andExpect(status().isNotFound());
		assertThat(events.stream(AuditableChange.class).map(AuditableChange::action)).containsExactly("trunk.create",
				"trunk.disable", "trunk.enable", "trunk.delete");
	}

	@Test
	void auditSnapshotsMaskThePassword() throws Exception {
		long id = created(digest()).get("id").asLong();
		AuditableChange change = events.stream(AuditableChange.class).findFirst().orElseThrow();
		assertThat(change.action()).isEqualTo("trunk.create");
		assertThat(change.targetType()).isEqualTo("trunk");
		assertThat(change.targetId()).isEqualTo(String.valueOf(id));
		assertThat(change.before()).isNull();
		assertThat(change.after()).containsEntry("auth_pass", "***")
			.containsEntry("auth_user", "carrier")
			.containsEntry("name", "Carrier digest");
	}

	@Test
	void lookbehindIsRejectedWithTheReason() throws Exception {
		Map<String, Object> trunk = twilio();
		trunk.put("from_domain_pattern", "(?<=sip\\.)twilio\\.com$");
		create(trunk).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("from_domain_pattern"))
			.andExpect(jsonPath("$.errors[0].message").value(containsString("lookbehind")))
			.andExpect(jsonPath("$.errors[0].message").value(containsString("ECMAScript")));
	}

	@Test
	void everyOffendingFieldIsListed() throws Exception {
		Map<String, Object> trunk = twilio();
		trunk.put("priority", 5000);
		trunk.put("allowed_ips", List.of("54.172.60.0/23", "300.1.1.1"));
		trunk.put("codec_preferences", List.of());
		create(trunk).andExpect(status().isBadRequest())
			.andExpect(header().string("Content-Type", containsString("application/problem+json")))
			.andExpect(jsonPath("$.status").value(400))
			.andExpect(jsonPath("$.errors.length()").value(3))
			.andExpect(jsonPath("$.errors[*].field")
				.value(org.hamcrest.Matchers.containsInAnyOrder("priority", "allowed_ips[1]", "codec_preferences")));
	}

	@Test
	void malformedJsonIsABadRequestWithoutDetailsOfTheParser() throws Exception {
		mvc.perform(post("/api/trunks").contentType(MediaType.APPLICATION_JSON).content("{\"name\": "))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.title").value("Invalid request body"))
			.andExpect(jsonPath("$", not(hasKey("trace"))));
	}

	static Stream<Arguments> invalid() {
		return Stream.of(
				// name, field overrides, offending field
				bad("blank name", Map.of("name", ""), "name"),
				bad("name with a line break", Map.of("name", "Carrier\r\nX-Evil: 1"), "name"),
				bad("name too long", Map.of("name", "n".repeat(101)), "name"),
				bad("priority above 1000", Map.of("priority", 1001), "priority"),
				bad("priority below 0", Map.of("priority", -1), "priority"),
				bad("negative max calls", Map.of("max_concurrent_calls", -1), "max_concurrent_calls"),
				bad("negative calls per second", Map.of("max_calls_per_second", -1), "max_calls_per_second"),
				bad("calls per second above 10000", Map.of("max_calls_per_second", 10001), "max_calls_per_second"),
				bad("limit response not 486, 480 or 503", Map.of("limit_response", 404), "limit_response"),
				bad("no identification", Map.of("identify_by", List.of()), "identify_by"),
				bad("identify_by missing", Map.of("identify_by", REMOVE), "identify_by"),
				bad("source_ip without addresses", Map.of("allowed_ips", List.of()), "allowed_ips"),
				bad("ip_only without addresses",
						Map.of("identify_by", List.of("from_domain"), "auth_method", "ip_only", "allowed_ips",
								List.of()),
						"allowed_ips"),
				bad("ip_and_digest without addresses",
						Map.of("identify_by", List.of("from_domain"), "allowed_ips", List.of()), "allowed_ips"),
				bad("address out of range", Map.of("allowed_ips", List.of("10.0.0.300")), "allowed_ips[0]"),
				bad("prefix too long", Map.of("allowed_ips", List.of("192.0.2.0/24", "10.0.0.0/33")), "allowed_ips[1]"),
				bad("host name instead of address", Map.of("allowed_ips", List.of("sip.example.com")),
						"allowed_ips[0]"),
				bad("the whole internet", Map.of("allowed_ips", List.of("0.0.0.0/0")), "allowed_ips[0]"),
				bad("the same network twice", Map.of("allowed_ips", List.of("192.0.2.0/24", "192.0.2.9/24")),
						"allowed_ips[1]"),
				bad("from_domain without pattern", Map.of("from_domain_pattern", REMOVE), "from_domain_pattern"),
				bad("pattern that does not compile", Map.of("from_domain_pattern", "^(sip\\.carrier$"),
						"from_domain_pattern"),
				bad("inline flag", Map.of("from_domain_pattern", "(?i)^sip\\.carrier\\.example$"),
						"from_domain_pattern"),
				bad("named group", Map.of("from_domain_pattern", "^(?<host>sip)\\.carrier$"), "from_domain_pattern"),
				bad("atomic group", Map.of("from_domain_pattern", "^(?>sip)\\.carrier$"), "from_domain_pattern"),
				bad("possessive quantifier", Map.of("from_domain_pattern", "^.*+\\.carrier$"), "from_domain_pattern"),
				bad("\\A anchor", Map.of("from_domain_pattern", "\\Asip\\.carrier\\z"), "from_domain_pattern"),
				bad("POSIX class", Map.of("from_domain_pattern", "^[[:alpha:]]+$"), "from_domain_pattern"),
				bad("class intersection", Map.of("from_domain_pattern", "^[a-z&&[^x]]+$"), "from_domain_pattern"),
				bad("unicode property", Map.of("from_domain_pattern", "^\\p{L}+$"), "from_domain_pattern"),
				bad("nested quantifiers (catastrophic backtracking)", Map.of("from_domain_pattern", "(a+)+$"),
						"from_domain_pattern"),
				bad("overlapping alternatives (catastrophic backtracking)",
						Map.of("user_agent_pattern", "^(a|a)*$", "identify_by", List.of("source_ip", "user_agent")),
						"user_agent_pattern"),
				bad("header name to strip with a colon", Map.of("strip_headers", List.of("P-Asserted-Identity:")),
						"strip_headers[0]"),
				bad("header the call is routed by", Map.of("strip_headers", List.of("Via")), "strip_headers[0]"),
				bad("user_agent without pattern",
						Map.of("identify_by", List.of("source_ip", "from_domain", "user_agent")), "user_agent_pattern"),
				bad("\\Q quoting in user agent pattern",
						Map.of("identify_by", List.of("source_ip", "from_domain", "user_agent"), "user_agent_pattern",
								"\\QAsterisk\\E"),
						"user_agent_pattern"),
				bad("digest without user", Map.of("auth_user", ""), "auth_user"),
				bad("digest user with a quote", Map.of("auth_user", "car\"rier"), "auth_user"),
				bad("digest without password", Map.of("auth_pass", REMOVE), "auth_pass"),
				bad("empty realm with a wide pattern", Map.of("from_domain_pattern", ".*\\.carrier\\.example$"),
						"auth_realm"),
				bad("empty realm without from_domain identification",
						Map.of("identify_by", List.of("source_ip"), "from_domain_pattern", REMOVE), "auth_realm"),
				bad("realm with a space", Map.of("auth_realm", "my realm"), "auth_realm"),
				bad("verify peer without TLS", Map.of("verify_peer", true), "verify_peer"),
				bad("client certificate without TLS", Map.of("require_client_cert", true), "require_client_cert"),
				bad("verify peer without CA", Map.of("require_tls", true, "verify_peer", true), "tls_ca_secret_id"),
				bad("client certificate with an unknown CA",
						Map.of("require_tls", true, "require_client_cert", true, "tls_ca_secret_id", 5),
						"tls_ca_secret_id"),
				bad("peer name without subject name", Map.of("peer_name_verification", "enabled"),
						"tls_remote_subject_name"),
				bad("peer name without verify peer",
						Map.of("peer_name_verification", "enabled", "tls_remote_subject_name", "sip.carrier.example"),
						"peer_name_verification"),
				bad("header name with a space", Map.of("unique_id_header", "X Call Sid"), "unique_id_header"),
				bad("header name with a colon", Map.of("unique_id_header", "X-Call:Sid"), "unique_id_header"),
				bad("no codec", Map.of("codec_preferences", List.of()), "codec_preferences"),
				bad("unknown codec", Map.of("codec_preferences", List.of("PCMA", "MP3")), "codec_preferences[1]"),
				bad("telephone-event is not a codec preference",
						Map.of("codec_preferences", List.of("telephone-event")), "codec_preferences[0]"),
				bad("codec twice", Map.of("codec_preferences", List.of("PCMA", "pcma")), "codec_preferences[1]"),
				bad("auth_method missing", Map.of("auth_method", REMOVE), "auth_method"),
				bad("unknown auth method", Map.of("auth_method", "password"), "auth_method"),
				bad("unknown identify method", Map.of("identify_by", List.of("ip")), "identify_by[0]"),
				bad("unknown srtp mode", Map.of("srtp_mode", "always"), "srtp_mode"),
				bad("upper-case enum", Map.of("srtp_mode", "REQUIRE"), "srtp_mode"),
				bad("priority as text", Map.of("priority", "high"), "priority"),
				bad("boolean as text", Map.of("require_tls", "maybe"), "require_tls"),
				bad("allowed_ips as a string", Map.of("allowed_ips", "192.0.2.0/24"), "allowed_ips"),
				bad("unknown property", Map.of("colour", "blue"), "colour"));
	}

	static Arguments bad(String description, Map<String, Object> overrides, String field) {
		return Arguments.of(description, overrides, field);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalid")
	void invalidInputIsRejectedNamingTheFieldAndChangesNothing(String description, Map<String, Object> overrides,
			String field) throws Exception {
		long existing = created(twilio()).get("id").asLong();
		Map<String, Object> trunk = digest();
		overrides.forEach((key, value) -> {
			if (value == REMOVE) {
				trunk.remove(key);
			}
			else {
				trunk.put(key, value);
			}
		});
		String before = tableDump();

		create(trunk).andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[*].field").value(hasItem(field)));
		assertThat(tableDump()).isEqualTo(before);

		// The same body as a replacement of the existing trunk is refused the same way.
		trunk.put("version", 0);
		mvc.perform(put("/api/trunks/" + existing).contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(trunk)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[*].field").value(hasItem(field)));
		assertThat(tableDump()).isEqualTo(before);
	}

}
