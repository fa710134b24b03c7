package com.telpro.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.telpro.control.support.AdminApi;
import com.telpro.control.support.Await;
import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.Loopback;
import com.telpro.control.support.Sipp;
import com.telpro.control.support.Sipp.Result;
import com.telpro.control.support.TestServers;
import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The vertical slice on the wire: trunks created through the REST API, "Sync All to
 * Redis", and a real Kamailio running the project's config enforcing them against sipp
 * carriers, with call records the edge appends to the Redis stream and the service stores
 * in its PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EdgeEndToEndTests {

	private static final Duration LOAD_LIMIT = Duration.ofSeconds(5);

	@Autowired
	TestRestTemplate http;

	private AdminApi api() {
		return new AdminApi(http);
	}

	@Autowired
	JdbcTemplate jdbc;

	private KamailioProcess kamailio;

	private Sipp.Backend backend;

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.create();

	@BeforeAll
	void startEdge() {
		new TestUsers(jdbc).ensure();
		jdbc.update("delete from trunk");
		jdbc.update("delete from call_records");
		TestServers servers = TestServers.get();
		int backendPort = Loopback.freeSipPort();
		backend = edge.uses(Sipp.backend(backendPort));
		kamailio = edge.start("edge-e2e", servers.redisPort(), backendPort);
	}

	@Test
	@Order(1)
	void unknownTrafficIsRefusedBeforeAnyTrunkExists() {
		kamailio.awaitGeneration(api().sync());
		Result r = Sipp.uac("uac_invite_rejected.xml", kamailio.address()).from("127.0.0.2").run();
		assertThat(r.lastStatus()).as(r.output()).startsWith("403");
	}

	@Test
	@Order(2)
	void twilioStyleTrunkCarriesACallToTheBackendAndIsRecorded() {
		api().createTrunk(Map.of("name", "twilio", "priority", 20, "identify_by", List.of("source_ip", "from_domain"),
				"allowed_ips", List.of("127.0.0.2/32"), "from_domain_pattern", ".*\\.twilio\\.com$", "auth_method",
				"ip_only", "unique_id_header", "X-Twilio-CallSid"));
		long generation = api().sync();
		kamailio.awaitGeneration(generation);

		Result call = Sipp.uac("uac_call.xml", kamailio.address())
			.from("127.0.0.2")
			.fromDomain("sip.twilio.com")
			.header("X-Twilio-CallSid: CA0123456789")
			.run();

		assertThat(call.passed()).as(call.output()).isTrue();
		Await.until(() -> backend.call(call.callId()) != null, LOAD_LIMIT);
		assertThat(backend.call(call.callId())).startsWith("trunk=twilio ").contains("ext=CA0123456789");
		Await.until(() -> callRecord(call.callId()) != null && callRecord(call.callId()).hasNonNull("ended_at"),
				LOAD_LIMIT);
		JsonNode record = callRecord(call.callId());
		assertThat(record.get("trunk").asText()).isEqualTo("twilio");
		assertThat(record.get("external_call_id").asText()).isEqualTo("CA0123456789");
		assertThat(record.get("state").asText()).isEqualTo("ended");

		Result otherDomain = Sipp.uac("uac_invite_rejected.xml", kamailio.address())
			.from("127.0.0.2")
			.fromDomain("carrier.example")
			.run();
		assertThat(otherDomain.lastStatus()).as("identification is AND: right IP, wrong domain").startsWith("403");
	}

	@Test
	@Order(3)
	void digestTrunkWithTheRealmDefaultingToTheFromDomain() {
		api().createTrunk(Map.of("name", "digest-carrier", "priority", 30, "identify_by", List.of("from_domain"),
				"from_domain_pattern", "^pbx\\.customer\\.example$", "auth_method", "digest", "auth_user", "pbx",
				"auth_pass", "s3cret-Pa55"));
		kamailio.awaitGeneration(api().sync());

		Result ok = Sipp.uac("uac_call_digest.xml", kamailio.address())
			.from("127.0.0.60")
			.fromDomain("pbx.customer.example")
			.credentials("pbx", "s3cret-Pa55")
			.run();
		// The scenario itself insists on the 407 before it sends credentials.
		assertThat(ok.passed()).as(ok.output()).isTrue();

		Result wrong = Sipp.uac("uac_digest_rejected.xml", kamailio.address())
			.from("127.0.0.60")
			.fromDomain("pbx.customer.example")
			.credentials("pbx", "not-the-password")
			.run();
		assertThat(wrong.lastStatus()).as(wrong.output()).startsWith("403");
	}

	@Test
	@Order(4)
	void anEditTakesEffectOnTheNextRequestAfterSyncWithoutARestart() {
		long pid = kamailio.pid();
		JsonNode twilio = trunkNamed("twilio");
		JsonNode disabled = api().post("/api/trunks/" + twilio.get("id").asLong() + "/disable", null, HttpStatus.OK);
		assertThat(disabled.get("enabled").asBoolean()).isFalse();

		Result beforeSync = Sipp.uac("uac_call.xml", kamailio.address())
			.from("127.0.0.2")
			.fromDomain("sip.twilio.com")
			.run();
		assertThat(beforeSync.passed()).as("plain Save does not sync").isTrue();

		long generation = api().sync();
		kamailio.awaitGeneration(generation);
		Result afterSync = Sipp.uac("uac_invite_rejected.xml", kamailio.address())
			.from("127.0.0.2")
			.fromDomain("sip.twilio.com")
			.run();
		assertThat(afterSync.lastStatus()).as(afterSync.output()).startsWith("403");
		assertThat(kamailio.pid()).isEqualTo(pid);
	}

	@Test
	@Order(5)
	void theOperatorSeesWhichGenerationTheProxyRuns() {
		long generation = api().sync();
		JsonNode proxy = awaitHeartbeatOn(generation);
		assertThat(api().get("/api/sync/status").get("state").asText()).isEqualTo("in_sync");
		assertThat(proxy.get("current").asBoolean()).isTrue();
		assertThat(proxy.get("trunks").asInt()).isEqualTo(1);
	}

	/**
	 * The heartbeat, written every 2 s, is what the operator sees on the Admin Tools tab.
	 */
	private JsonNode awaitHeartbeatOn(long generation) {
		Await.until(() -> heartbeat() != null && heartbeat().get("generation").asLong() == generation, LOAD_LIMIT);
		return heartbeat();
	}

	private JsonNode heartbeat() {
		for (JsonNode proxy : api().get("/api/sync/status").get("proxies")) {
			if ("edge-e2e".equals(proxy.get("node").asText())) {
				return proxy;
			}
		}
		return null;
	}

	private JsonNode trunkNamed(String name) {
		for (JsonNode trunk : api().get("/api/trunks")) {
			if (name.equals(trunk.get("name").asText())) {
				return trunk;
			}
		}
		throw new AssertionError("no trunk " + name);
	}

	private JsonNode callRecord(String callId) {
		for (JsonNode call : api().get("/api/calls?q=" + callId).get("calls")) {
			if (callId.equals(call.get("call_id").asText())) {
				return call;
			}
		}
		return null;
	}

}
