package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.support.Await;
import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.KamailioProcess.Settings;
import com.telpro.control.support.Loopback;
import com.telpro.control.support.ProcessResult;
import com.telpro.control.support.Sipp;
import com.telpro.control.support.Sipp.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kamailio side of the Redis contract, proven on the wire: a real Kamailio running
 * the project's config, sipp carriers on 127.0.0.x / ::1, a sipp backend, and generation
 * documents written straight into Redis as REDIS-CONTRACT.md says. Outage tests run last:
 * they stop Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KamailioEdgeTests {

	private static final String XCALL_ID = "0123456789abcdef0123456789abcdef";

	private final ContractRedis redis = new ContractRedis();

	private Sipp.Backend backend;

	private KamailioProcess kamailio;

	private int backendPort;

	private long baseGeneration;

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.create();

	@BeforeAll
	void start() {
		edge.uses(redis).start();
		backendPort = Loopback.freeSipPort();
		backend = edge.uses(Sipp.backend(backendPort));
		kamailio = edge.start("edge-test", redis.port(), backendPort);
		baseGeneration = edge.load(() -> redis.publish(baseTrunks()));
	}

	/** In the document's (priority) order, as the admin service publishes it. */
	private static List<EdgeTrunk> baseTrunks() {
		return new ArrayList<>(List.of(
				EdgeTrunk.named("ip-domain-ua", 5)
					.identifyBy("source_ip", "from_domain", "user_agent")
					.cidrs("127.0.0.3/32")
					.fromDomain("^sip\\.twilio\\.com$")
					.userAgent("^Twilio"),
				EdgeTrunk.named("ip-only", 10).cidrs("127.0.0.2/32").set("unique_id_header", "X-Carrier-CallSid"),
				EdgeTrunk.named("ua-only", 12)
					.identifyBy("user_agent")
					.userAgent("^UaOnlyPhone/")
					.cidrs("127.0.0.13/32"),
				EdgeTrunk.named("digest", 20)
					.identifyBy("from_domain")
					.fromDomain("^digest\\.example$")
					.digest("digest", null, "duser", "dpass"),
				EdgeTrunk.named("capped", 20).cidrs("127.0.0.4/32").set("max_concurrent_calls", 1),
				EdgeTrunk.named("xcall", 20).cidrs("127.0.0.5/32").set("requires_x_call", true),
				EdgeTrunk.named("prio-first", 21).cidrs("127.0.0.6/32"),
				EdgeTrunk.named("prio-second", 22).cidrs("127.0.0.6/32", "127.0.0.11/32"),
				EdgeTrunk.named("ip-digest", 30)
					.identifyBy("from_domain")
					.fromDomain("^ipdigest\\.example$")
					.cidrs("127.0.0.7/32")
					.digest("ip_and_digest", "edge.telpro", "iduser", "idpass"),
				EdgeTrunk.named("tls-only", 30).cidrs("127.0.0.8/32").set("require_tls", true),
				EdgeTrunk.named("bad-regex", 30)
					.identifyBy("source_ip", "from_domain")
					.cidrs("127.0.0.10/32")
					.fromDomain("(unclosed"),
				EdgeTrunk.named("v6", 40).cidrs("::1/128")));
	}

	// ------------------------------------------------------------------ config and
	// sanity

	@Test
	@Order(1)
	void configCheckPassesWithAndWithoutCallRecords() {
		ProcessResult plain = KamailioProcess.checkConfig();
		assertThat(plain.exitCode()).as(plain.output()).isZero();
		ProcessResult acc = KamailioProcess.checkConfig("WITH_ACC_DB");
		assertThat(acc.exitCode()).as(acc.output()).isZero();
	}

	@Test
	@Order(2)
	void optionsToTheProxyIsAnsweredWithoutATrunk() {
		Result r = uac("uac_options_status.xml").from("127.0.0.99").run();
		assertThat(r.lastStatus()).as(r.output()).isEqualTo("200 OK");
	}

	@Test
	@Order(3)
	void aCallerMatchingNoTrunkIsForbidden() {
		Result r = uac("uac_invite_rejected.xml").from("127.0.0.99").run();
		assertThat(r.lastStatus()).as(r.output()).isEqualTo("403 Forbidden");
		assertThat(backend.call(r.callId())).isNull();
	}

	// ------------------------------------------------------------------ identification

	@Test
	@Order(10)
	void sourceIpTrunkCallGoesThroughWithTrunkAndExternalIdHeaders() {
		// a caller's own X-Telpro-Trunk never reaches the backend
		Result r = uac("uac_call.xml").from("127.0.0.2")
			.header("X-Carrier-CallSid: CA0042")
			.header("X-Telpro-Trunk: spoofed")
			.run();
		assertThat(r.passed()).as(r.output()).isTrue();
		assertThat(backendRecord(r)).isEqualTo("trunk=ip-only ext=CA0042 callid=" + r.callId());
	}

	@Test
	@Order(11)
	void everyIdentifyMethodOfATrunkMustMatch() {
		Result all = uac("uac_call.xml").from("127.0.0.3").fromDomain("sip.twilio.com").userAgent("Twilio Gw").run();
		assertThat(all.passed()).as(all.output()).isTrue();
		assertThat(backendRecord(all)).startsWith("trunk=ip-domain-ua ");

		Result wrongUa = uac("uac_invite_rejected.xml").from("127.0.0.3")
			.fromDomain("sip.twilio.com")
			.userAgent("Other")
			.run();
		assertThat(wrongUa.lastStatus()).as(wrongUa.output()).isEqualTo("403 Forbidden");
		Result wrongDomain = uac("uac_invite_rejected.xml").from("127.0.0.3")
			.fromDomain("evil.example")
			.userAgent("Twilio Gw")
			.run();
		assertThat(wrongDomain.lastStatus()).as(wrongDomain.output()).isEqualTo("403 Forbidden");
		Result wrongIp = uac("uac_invite_rejected.xml").from("127.0.0.98")
			.fromDomain("sip.twilio.com")
			.userAgent("Twilio Gw")
			.run();
		assertThat(wrongIp.lastStatus()).as(wrongIp.output()).isEqualTo("403 Forbidden");
	}

	@Test
	@Order(12)
	void userAgentAloneIdentifies() {
		Result ok = uac("uac_call.xml").from("127.0.0.13").userAgent("UaOnlyPhone/2.1").run();
		assertThat(ok.passed()).as(ok.output()).isTrue();
		assertThat(backendRecord(ok)).startsWith("trunk=ua-only ");
		Result other = uac("uac_invite_rejected.xml").from("127.0.0.13").userAgent("SomethingElse").run();
		assertThat(other.lastStatus()).as(other.output()).isEqualTo("403 Forbidden");
	}

	@Test
	@Order(13)
	void firstTrunkInPriorityOrderWins() {
		Result both = uac("uac_call.xml").from("127.0.0.6").run();
		assertThat(both.passed()).as(both.output()).isTrue();
		assertThat(backendRecord(both)).startsWith("trunk=prio-first ");
		Result onlySecond = uac("uac_call.xml").from("127.0.0.11").run();
		assertThat(onlySecond.passed()).as(onlySecond.output()).isTrue();
		assertThat(backendRecord(onlySecond)).startsWith("trunk=prio-second ");
	}

	@Test
	@Order(14)
	void ipv6SourceMatchesAnIpv6Cidr() {
		Result r = Sipp.uac("uac_call.xml", "[::1]:" + kamailio.port()).from("::1").run();
		assertThat(r.passed()).as(r.output()).isTrue();
		assertThat(backendRecord(r)).startsWith("trunk=v6 ");
	}

	@Test
	@Order(15)
	void theBackendCanReInviteAndHangUpThroughTheRecordedRoute() {
		int port = Loopback.freeSipPort();
		try (Sipp.Backend hangup = Sipp.backendForOneCall(port, "uas_backend_hangup.xml");
				KamailioProcess edge = KamailioProcess.start(Settings.of(redis.port(), port, "edge-hangup"))) {
			edge.awaitGeneration(redis.lastPublished());
			Result caller = Sipp.uac("uac_call_remote_hangup.xml", edge.address()).from("127.0.0.2").run();
			assertThat(caller.passed()).as(caller.output()).isTrue();
			assertThat(hangup.awaitExit(Duration.ofSeconds(5))).as(hangup.errors()).isZero();
		}
	}

	// ------------------------------------------------------------------ TLS and
	// authentication

	@Test
	@Order(20)
	void requireTlsRefusesUdp() {
		Result r = uac("uac_invite_rejected.xml").from("127.0.0.8").run();
		assertThat(r.lastStatus()).as(r.output()).isEqualTo("403 TLS Required");
	}

	@Test
	@Order(21)
	void digestChallengesThenAcceptsTheRightPassword() {
		// the scenario requires the 407 before it sends credentials
		Result r = uac("uac_call_digest.xml").from("127.0.0.50")
			.fromDomain("digest.example")
			.credentials("duser", "dpass")
			.run();
		assertThat(r.passed()).as(r.output()).isTrue();
		assertThat(backendRecord(r)).startsWith("trunk=digest ");
	}

	@Test
	@Order(22)
	void digestRefusesAWrongPasswordOrUserAfterTheChallenge() {
		Result wrongPassword = uac("uac_digest_rejected.xml").from("127.0.0.50")
			.fromDomain("digest.example")
			.credentials("duser", "nope")
			.run();
		assertThat(wrongPassword.lastStatus()).as(wrongPassword.output()).isEqualTo("403 Forbidden");
		Result wrongUser = uac("uac_digest_rejected.xml").from("127.0.0.50")
			.fromDomain("digest.example")
			.credentials("other", "dpass")
			.run();
		assertThat(wrongUser.lastStatus()).as(wrongUser.output()).isEqualTo("403 Forbidden");
	}

	@Test
	@Order(23)
	void ipAndDigestNeedsBothTheAddressAndThePassword() {
		Result ok = uac("uac_call_digest.xml").from("127.0.0.7")
			.fromDomain("ipdigest.example")
			.credentials("iduser", "idpass")
			.run();
		assertThat(ok.passed()).as(ok.output()).isTrue();
		Result wrongIp = uac("uac_invite_rejected.xml").from("127.0.0.70").fromDomain("ipdigest.example").run();
		assertThat(wrongIp.lastStatus()).as(wrongIp.output()).isEqualTo("403 Forbidden");
		Result wrongPassword = uac("uac_digest_rejected.xml").from("127.0.0.7")
			.fromDomain("ipdigest.example")
			.credentials("iduser", "x")
			.run();
		assertThat(wrongPassword.lastStatus()).as(wrongPassword.output()).isEqualTo("403 Forbidden");
	}

	// ------------------------------------------------------------------ limits and
	// X-Call

	@Test
	@Order(30)
	void concurrentCallCapAnswers486AndFreesTheSlotAfterBye() {
		CompletableFuture<Result> first = CompletableFuture
			.supplyAsync(() -> uac("uac_call.xml").from("127.0.0.4").holdFor(Duration.ofMillis(2500)).run());
		Await.until(() -> backend.calls().stream().anyMatch(l -> l.startsWith("trunk=capped ")), Duration.ofSeconds(5));
		Result second = uac("uac_invite_rejected.xml").from("127.0.0.4").run();
		assertThat(second.lastStatus()).as(second.output()).isEqualTo("486 Busy Here");
		Result firstDone = first.join();
		assertThat(firstDone.passed()).as(firstDone.output()).isTrue();
		Result third = uac("uac_call.xml").from("127.0.0.4").run();
		assertThat(third.passed()).as(third.output()).isTrue();
	}

	@Test
	@Order(31)
	void xCallIdIsRequiredKnownAndSingleUse() {
		Result missing = uac("uac_invite_rejected.xml").from("127.0.0.5").run();
		assertThat(missing.lastStatus()).as(missing.output()).isEqualTo("403 X-Call-ID required");
		Result unknown = uac("uac_invite_rejected.xml").from("127.0.0.5").header("X-Call-ID: " + "f".repeat(32)).run();
		assertThat(unknown.lastStatus()).as(unknown.output()).startsWith("403 X-Call-ID unknown");

		redis.createXCall(XCALL_ID);
		Result valid = uac("uac_call.xml").from("127.0.0.5").header("X-Call-ID: " + XCALL_ID).run();
		assertThat(valid.passed()).as(valid.output()).isTrue();
		assertThat(redis.exists("telpro:v1:xcall:" + XCALL_ID)).isFalse();
		Result replayed = uac("uac_invite_rejected.xml").from("127.0.0.5").header("X-Call-ID: " + XCALL_ID).run();
		assertThat(replayed.lastStatus()).as(replayed.output()).startsWith("403 X-Call-ID unknown or already used");
	}

	// ------------------------------------------------------------------ generations

	@Test
	@Order(40)
	void aMalformedTrunkIsRefusedAloneAndListedInTheHeartbeat() throws Exception {
		Result refused = uac("uac_invite_rejected.xml").from("127.0.0.10").fromDomain("x.example").run();
		assertThat(refused.lastStatus()).as(refused.output()).isEqualTo("403 Forbidden");
		Result others = uac("uac_call.xml").from("127.0.0.2").run();
		assertThat(others.passed()).as(others.output()).isTrue();

		JsonNode beat = awaitHeartbeat(baseGeneration);
		assertThat(beat.get("node").asText()).isEqualTo("edge-test");
		assertThat(beat.get("trunks").asInt()).isEqualTo(baseTrunks().size() - 1);
		assertThat(beat.get("refused")).hasSize(1);
		assertThat(beat.get("refused").get(0).get("name").asText()).isEqualTo("bad-regex");
		assertThat(redis.commands().ttl("telpro:v1:proxy:edge-test")).isBetween(1L, 15L);
	}

	@Test
	@Order(41)
	void aNewGenerationIsEnforcedWithinOneSecondWithoutRestart() {
		long pid = kamailio.pid();
		Result before = uac("uac_invite_rejected.xml").from("127.0.0.12").run();
		assertThat(before.lastStatus()).isEqualTo("403 Forbidden");

		List<EdgeTrunk> trunks = baseTrunks();
		trunks.add(EdgeTrunk.named("added", 50).cidrs("127.0.0.12/32"));
		long started = System.nanoTime();
		long generation = redis.publish(trunks);
		Result accepted = null;
		long acceptedAfterMs = -1;
		while (System.nanoTime() - started < Duration.ofSeconds(3).toNanos()) {
			long attempt = System.nanoTime();
			Result r = uac("uac_call.xml").from("127.0.0.12").run();
			if (r.passed()) {
				accepted = r;
				acceptedAfterMs = (attempt - started) / 1_000_000;
				break;
			}
		}
		assertThat(accepted).as("generation " + generation + " never admitted the new trunk").isNotNull();
		assertThat(acceptedAfterMs).isLessThan(1000);
		assertThat(backendRecord(accepted)).startsWith("trunk=added ");
		assertThat(kamailio.pid()).isEqualTo(pid);
		baseGeneration = generation;
	}

	@Test
	@Order(42)
	void aMalformedDocumentLeavesThePreviousGenerationInForce() {
		long bad = redis.publishRaw("{\"layout\":1,\"trunks\":[");
		Await.until(() -> kamailio.log().contains("generation " + bad + " refused"), Duration.ofSeconds(3));
		long otherLayout = redis.publishRaw("{\"layout\":2,\"trunks\":[]}");
		Await.until(() -> kamailio.log().contains("generation " + otherLayout + " refused"), Duration.ofSeconds(3));
		Result r = uac("uac_call.xml").from("127.0.0.12").run();
		assertThat(r.passed()).as(r.output()).isTrue();
	}

	@Test
	@Order(43)
	void aCrowdedSlash16AndManyIpv6TrunksKeepThePriorityOrder() {
		// past 16 ranges a /16 bucket (and the IPv6 ranges) become interval tables: the
		// first trunk
		// in priority order must still win, a failing From-domain rule must still pass
		// the turn on
		List<EdgeTrunk> crowded = new ArrayList<>();
		crowded.add(EdgeTrunk.named("crowd-wide-domain", 1)
			.identifyBy("source_ip", "from_domain")
			.cidrs("127.0.0.0/16", "::1/128")
			.fromDomain("^never\\.example$"));
		crowded.addAll(baseTrunks());
		crowded.add(EdgeTrunk.named("added", 50).cidrs("127.0.0.12/32"));
		for (int i = 0; i < 40; i++) {
			crowded
				.add(EdgeTrunk.named("crowd-v4-" + i, 60).cidrs("127.0." + (1 + i / 20) + "." + (1 + i % 20) + "/32"));
			crowded.add(EdgeTrunk.named("crowd-v6-" + i, 60).cidrs("2001:db8:0:" + Integer.toHexString(i) + "::/64"));
		}
		crowded.add(EdgeTrunk.named("crowd-catch-all", 70).cidrs("127.0.0.0/24", "::/0"));
		long generation = redis.publish(crowded);
		kamailio.awaitGeneration(generation);

		assertThat(backendRecord(uac("uac_call.xml").from("127.0.0.6").run())).startsWith("trunk=prio-first ");
		assertThat(backendRecord(uac("uac_call.xml").from("127.0.0.11").run())).startsWith("trunk=prio-second ");
		assertThat(backendRecord(uac("uac_call.xml").from("127.0.0.2").run())).startsWith("trunk=ip-only ");
		assertThat(backendRecord(
				uac("uac_call.xml").from("127.0.0.3").fromDomain("sip.twilio.com").userAgent("Twilio Gw").run()))
			.startsWith("trunk=ip-domain-ua ");
		assertThat(backendRecord(uac("uac_call.xml").from("127.0.0.98").run())).startsWith("trunk=crowd-catch-all ");
		assertThat(backendRecord(Sipp.uac("uac_call.xml", "[::1]:" + kamailio.port()).from("::1").run()))
			.startsWith("trunk=v6 ");

		List<EdgeTrunk> restored = baseTrunks();
		restored.add(EdgeTrunk.named("added", 50).cidrs("127.0.0.12/32"));
		baseGeneration = redis.publish(restored);
		kamailio.awaitGeneration(baseGeneration);
	}

	// ------------------------------------------------------------------ Redis outages
	// (last: they stop Redis)

	@Test
	@Order(90)
	void withRedisStoppedTheLastGenerationStaysAndXCallFailsClosed() {
		redis.stop();
		try {
			Result ok = uac("uac_call.xml").from("127.0.0.2").run();
			assertThat(ok.passed()).as(ok.output()).isTrue();
			Result unknown = uac("uac_invite_rejected.xml").from("127.0.0.99").run();
			assertThat(unknown.lastStatus()).isEqualTo("403 Forbidden");
			Result xcall = uac("uac_invite_rejected.xml").from("127.0.0.5").header("X-Call-ID: " + XCALL_ID).run();
			assertThat(xcall.lastStatus()).as(xcall.output()).startsWith("503 ");
		}
		finally {
			redis.start();
		}
	}

	@Test
	@Order(91)
	void startedWithoutRedisItAnswers503UntilAGenerationLoads() {
		redis.stop();
		try (KamailioProcess cold = KamailioProcess.start(Settings.of(redis.port(), backendPort, "edge-cold"))) {
			Result r = Sipp.uac("uac_invite_rejected.xml", cold.address()).from("127.0.0.2").run();
			assertThat(r.lastStatus()).as(r.output()).isEqualTo("503 Trunk configuration not loaded");
			assertThat(cold.options(Duration.ofSeconds(1))).isEqualTo(200);

			redis.start();
			long generation = redis.publish(baseTrunks());
			cold.awaitGeneration(generation);
			Result after = Sipp.uac("uac_call.xml", cold.address()).from("127.0.0.2").run();
			assertThat(after.passed()).as(after.output()).isTrue();
		}
		finally {
			redis.start();
		}
	}

	@Test
	@Order(92)
	void aRedisThatLostItsDataAndIsReseededIsFollowedEvenIfGenerationNumbersRepeat() throws Exception {
		long inForce = redis.lastPublished();
		redis.stop();
		redis.start();
		Thread.sleep(1200); // two polls: the proxy sees Redis answer without a pointer
		redis.commands().set("telpro:v1:generation:seq", Long.toString(inForce - 1));
		List<EdgeTrunk> trunks = baseTrunks();
		trunks.add(EdgeTrunk.named("reseeded", 50).cidrs("127.0.0.14/32"));
		assertThat(redis.publish(trunks)).isEqualTo(inForce);
		Await.until(() -> uac("uac_call.xml").from("127.0.0.14").run().passed(), Duration.ofSeconds(3));
	}

	// ------------------------------------------------------------------ helpers

	private Sipp.Uac uac(String scenario) {
		return Sipp.uac(scenario, kamailio.address());
	}

	/** The backend writes its record right after the INVITE; give the write a moment. */
	private String backendRecord(Result r) {
		Await.until(() -> backend.call(r.callId()) != null, Duration.ofSeconds(2));
		return backend.call(r.callId());
	}

	private JsonNode awaitHeartbeat(long generation) throws Exception {
		ObjectMapper json = new ObjectMapper();
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		JsonNode beat = null;
		while (System.nanoTime() < deadline) {
			String value = redis.get("telpro:v1:proxy:edge-test");
			beat = value == null ? null : json.readTree(value);
			if (beat != null && beat.get("generation").asLong() == generation) {
				return beat;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("no heartbeat for generation " + generation + ", last: " + beat);
	}

}
