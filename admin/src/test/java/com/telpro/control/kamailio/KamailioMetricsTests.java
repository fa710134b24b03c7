package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.telpro.control.support.Await;
import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.Loopback;
import com.telpro.control.support.RawSip;
import com.telpro.control.support.RawSip.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The edge's Prometheus endpoint (WITH_METRICS, xhttp_prom) read while a real Kamailio
 * running the project's config answers raw SIP with every outcome: each requests_total
 * series moves by exactly the number of requests sent with its trunk and reason, and no
 * other series moves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KamailioMetricsTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final String REQUESTS = "telpro_edge_requests_total";

	private final ContractRedis redis = new ContractRedis();

	private TrunkNamingBackend backend;

	private KamailioProcess kamailio;

	private EdgeMetrics metrics;

	private int jsonRpcPort;

	private long generation;

	private Map<String, Double> beforeLoad;

	private Map<String, Double> afterNotLoaded;

	private final List<String> notLoadedCallIds = new java.util.ArrayList<>();

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.withDefines("WITH_METRICS", "WITH_JSONRPC_HTTP");

	@BeforeAll
	void start() {
		edge.uses(redis).start();
		backend = edge.uses(new TrunkNamingBackend());
		int metricsPort = Loopback.freeSipPort();
		jsonRpcPort = Loopback.freeSipPort();
		kamailio = edge.start("edge-metrics", redis.port(), backend.port(), "METRICS_ADDR=127.0.0.1:" + metricsPort,
				"JSONRPC_HTTP_ADDR=127.0.0.1:" + jsonRpcPort);
		metrics = new EdgeMetrics(metricsPort);
		// before any generation: 503 not_loaded
		beforeLoad = metrics.scrape();
		for (int i = 0; i < 2; i++) {
			Answer notLoaded = send("127.0.0.2", invite("carrier.example", "Phone", "x"));
			assertThat(notLoaded.status()).isEqualTo(503);
			java.util.regex.Matcher callId = java.util.regex.Pattern.compile("(?mi)^Call-ID:\\s*(\\S+)")
				.matcher(notLoaded.text());
			assertThat(callId.find()).as(notLoaded.text()).isTrue();
			notLoadedCallIds.add(callId.group(1));
		}
		afterNotLoaded = metrics.scrape();
		generation = edge.load(() -> redis.publish(trunks()));
	}

	private static List<EdgeTrunk> trunks() {
		return List.of(EdgeTrunk.named("ip-only", 10).cidrs("127.0.0.2/32"),
				EdgeTrunk.named("capped", 20).cidrs("127.0.0.4/32").set("max_concurrent_calls", 1),
				EdgeTrunk.named("xcall", 20).cidrs("127.0.0.5/32").set("requires_x_call", true),
				EdgeTrunk.named("tls-only", 30).cidrs("127.0.0.8/32").set("require_tls", true),
				EdgeTrunk.named("digest", 40)
					.identifyBy("from_domain")
					.fromDomain("^digest\\.example$")
					.digest("digest", null, "duser", "dpass"),
				EdgeTrunk.named("ip-digest", 50)
					.identifyBy("from_domain")
					.fromDomain("^ipdigest\\.example$")
					.cidrs("127.0.0.7/32")
					.digest("ip_and_digest", "edge.telpro", "iduser", "idpass"));
	}

	private String invite(String fromDomain, String userAgent, String callIdMarker, String... extra) {
		return request("INVITE", fromDomain, userAgent, callIdMarker, extra);
	}

	private String request(String method, String fromDomain, String userAgent, String callIdMarker, String... extra) {
		String ruri = "sip:100@127.0.0.1:" + kamailio.port();
		StringBuilder sb = new StringBuilder();
		sb.append(method).append(' ').append(ruri).append(" SIP/2.0\r\n");
		sb.append("Via: SIP/2.0/UDP ${local};rport;branch=${branch}\r\n");
		sb.append("Max-Forwards: 70\r\n");
		sb.append("From: <sip:carrier@").append(fromDomain).append(">;tag=${tag}\r\n");
		sb.append("To: <").append(ruri).append(">\r\n");
		sb.append("Call-ID: ").append(callIdMarker).append("-${callid}\r\n");
		sb.append("CSeq: 1 ").append(method).append("\r\n");
		sb.append("Contact: <sip:carrier@${local}>\r\n");
		sb.append("User-Agent: ").append(userAgent).append("\r\n");
		for (String h : extra) {
			sb.append(h).append("\r\n");
		}
		sb.append("Content-Length: 0\r\n\r\n");
		return sb.toString();
	}

	private Answer send(String source, String message) {
		return RawSip.udp(source, kamailio.port(), RawSip.bytes(message), WAIT);
	}

	private static Map<String, Double> requestSeries(Map<String, Double> all) {
		Map<String, Double> out = new TreeMap<>();
		all.forEach((k, v) -> {
			if (k.startsWith(REQUESTS + "{")) {
				out.put(k, v);
			}
		});
		return out;
	}

	private static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
		Map<String, Double> out = new TreeMap<>();
		requestSeries(after).forEach((k, v) -> {
			double d = v - before.getOrDefault(k, 0.0);
			if (d != 0) {
				out.put(k, d);
			}
		});
		return out;
	}

	@Test
	@Order(1)
	void aRequestBeforeAnyGenerationCountsAsNotLoaded() {
		assertThat(delta(beforeLoad, afterNotLoaded))
			.isEqualTo(Map.of(EdgeMetrics.requests("(none)", "not_loaded", "INVITE"), 2.0));
		// issue 17: each of them is exactly one call record with reason not_loaded
		assertThat(notLoadedCallIds).hasSize(2).doesNotHaveDuplicates();
		for (String callId : notLoadedCallIds) {
			Await.until(() -> !redis.recordReasons(callId).isEmpty(), WAIT);
			assertThat(redis.recordReasons(callId)).as("records of %s", callId).containsExactly("not_loaded");
		}
	}

	@Test
	@Order(2)
	void theGenerationInForceAndItsTrunksAreGauges() {
		Map<String, Double> m = metrics.scrape();
		assertThat(m.get("telpro_edge_generation")).isEqualTo((double) generation);
		assertThat(m.get("telpro_edge_trunks_loaded")).isEqualTo(6.0);
		assertThat(m.get("telpro_edge_trunks_refused")).isEqualTo(0.0);
		double loadedAt = m.get("telpro_edge_generation_loaded_timestamp_seconds");
		assertThat(loadedAt).isBetween(System.currentTimeMillis() / 1000.0 - 120,
				System.currentTimeMillis() / 1000.0 + 5);
		assertThat(m.get("telpro_edge_trunk_max_calls{trunk=\"capped\"}")).isEqualTo(1.0);
		assertThat(m.get("telpro_edge_trunk_max_calls{trunk=\"ip-only\"}")).isEqualTo(0.0);
	}

	@Test
	@Order(3)
	void eachOutcomeMovesItsCounterByExactlyTheRequestsSent() {
		Map<String, Double> before = metrics.scrape();
		Map<String, Double> expected = new HashMap<>();

		// answered: the backend's 200 to a relayed INVITE (3 times), and OPTIONS relayed
		// (1)
		for (int i = 0; i < 3; i++) {
			assertThat(send("127.0.0.2", invite("carrier.example", "Phone", "answer")).status()).isEqualTo(200);
		}
		expected.put(EdgeMetrics.requests("ip-only", "answered", "INVITE"), 3.0);
		// backend_failed: the backend's 486 (2)
		for (int i = 0; i < 2; i++) {
			assertThat(send("127.0.0.2", invite("carrier.example", "Phone", "refuse")).status()).isEqualTo(486);
		}
		expected.put(EdgeMetrics.requests("ip-only", "backend_failed", "INVITE"), 2.0);
		// no_match (4: 3 INVITE + 1 OPTIONS to a user)
		for (int i = 0; i < 3; i++) {
			assertThat(send("127.0.0.99", invite("stranger.example", "Phone", "x")).status()).isEqualTo(403);
		}
		assertThat(send("127.0.0.99", request("OPTIONS", "stranger.example", "Phone", "x")).status()).isEqualTo(403);
		expected.put(EdgeMetrics.requests("(none)", "no_match", "INVITE"), 3.0);
		expected.put(EdgeMetrics.requests("(none)", "no_match", "OPTIONS"), 1.0);
		// tls_required (2)
		for (int i = 0; i < 2; i++) {
			assertThat(send("127.0.0.8", invite("carrier.example", "Phone", "x")).status()).isEqualTo(403);
		}
		expected.put(EdgeMetrics.requests("tls-only", "tls_required", "INVITE"), 2.0);
		// auth_challenged (2) and auth_failed (1: credentials of another user)
		for (int i = 0; i < 2; i++) {
			assertThat(send("127.0.0.20", invite("digest.example", "Phone", "x")).status()).isEqualTo(407);
		}
		expected.put(EdgeMetrics.requests("digest", "auth_challenged", "INVITE"), 2.0);
		String wrongUser = "Proxy-Authorization: Digest username=\"intruder\", realm=\"digest.example\", "
				+ "nonce=\"abc\", uri=\"sip:100@127.0.0.1\", response=\"00000000000000000000000000000000\"";
		assertThat(send("127.0.0.20", invite("digest.example", "Phone", "x", wrongUser)).status()).isEqualTo(403);
		expected.put(EdgeMetrics.requests("digest", "auth_failed", "INVITE"), 1.0);
		// source_not_allowed (1)
		assertThat(send("127.0.0.21", invite("ipdigest.example", "Phone", "x")).status()).isEqualTo(403);
		expected.put(EdgeMetrics.requests("ip-digest", "source_not_allowed", "INVITE"), 1.0);
		// xcall_missing (2) and xcall_unknown (1)
		for (int i = 0; i < 2; i++) {
			assertThat(send("127.0.0.5", invite("carrier.example", "Phone", "x")).status()).isEqualTo(403);
		}
		expected.put(EdgeMetrics.requests("xcall", "xcall_missing", "INVITE"), 2.0);
		assertThat(send("127.0.0.5", invite("carrier.example", "Phone", "x", "X-Call-ID: not-an-id")).status())
			.isEqualTo(403);
		expected.put(EdgeMetrics.requests("xcall", "xcall_unknown", "INVITE"), 1.0);
		// limit_concurrent: the first call holds the trunk's only slot, the next two are
		// refused
		assertThat(send("127.0.0.4", invite("carrier.example", "Phone", "answer")).status()).isEqualTo(200);
		expected.put(EdgeMetrics.requests("capped", "answered", "INVITE"), 1.0);
		for (int i = 0; i < 2; i++) {
			assertThat(send("127.0.0.4", invite("carrier.example", "Phone", "x")).status()).isEqualTo(486);
		}
		expected.put(EdgeMetrics.requests("capped", "limit_concurrent", "INVITE"), 2.0);

		// the dialog events run after the 200 went out: wait for the last answered call
		// to count
		Await.until(() -> metrics.value(EdgeMetrics.requests("capped", "answered", "INVITE"))
				- before.getOrDefault(EdgeMetrics.requests("capped", "answered", "INVITE"), 0.0) >= 1, WAIT);
		Map<String, Double> after = metrics.scrape();
		assertThat(delta(before, after)).isEqualTo(new TreeMap<>(expected));
		assertThat(after.get("telpro_edge_trunk_active_calls{trunk=\"capped\"}")).isEqualTo(1.0);
		assertThat(after.get("telpro_edge_unmatched_total") - before.getOrDefault("telpro_edge_unmatched_total", 0.0))
			.isEqualTo(4.0);
	}

	@Test
	@Order(4)
	void aScannerIsBannedOnceAndItsLaterRequestsCountAsBanned() {
		Map<String, Double> before = metrics.scrape();
		send("127.0.0.66", invite("scan.example", "friendly-scanner", "x"));
		assertThat(send("127.0.0.66", invite("scan.example", "Phone", "x")).none()).isTrue();
		assertThat(send("127.0.0.66", request("OPTIONS", "scan.example", "Phone", "x")).none()).isTrue();
		Map<String, Double> after = metrics.scrape();
		assertThat(delta(before, after)).isEqualTo(Map.of(EdgeMetrics.requests("(none)", "banned", "INVITE"), 1.0,
				EdgeMetrics.requests("(none)", "banned", "OPTIONS"), 1.0));
		assertThat(after.get("telpro_edge_bans_total{cause=\"scanner\"}")
				- before.getOrDefault("telpro_edge_bans_total{cause=\"scanner\"}", 0.0))
			.isEqualTo(1.0);
	}

	@Test
	@Order(5)
	void onlyGetMetricsIsServedOnTheMetricsListener() {
		assertThat(metrics.get("/RPC").statusCode()).isEqualTo(404);
		assertThat(metrics.get("/metrics").body()).doesNotContain("127.0.0.99");
	}

	@Test
	@Order(20)
	void redisErrorsAreCountedAndAnXCallThatCannotBeCheckedIsXCallUnavailable() {
		double before = metrics.value("telpro_edge_redis_errors_total{command=\"get\"}");
		redis.stop();
		Await.until(() -> metrics.value("telpro_edge_redis_errors_total{command=\"get\"}") > before,
				Duration.ofSeconds(10));

		Map<String, Double> beforeCall = metrics.scrape();
		assertThat(send("127.0.0.5",
				invite("carrier.example", "Phone", "x", "X-Call-ID: 0123456789abcdef0123456789abcdef"))
			.status()).isEqualTo(503);
		Map<String, Double> after = metrics.scrape();
		assertThat(delta(beforeCall, after))
			.isEqualTo(Map.of(EdgeMetrics.requests("xcall", "xcall_unavailable", "INVITE"), 1.0));
		// the X-Call is checked with GET before it is spent (js/xcall.js): that read
		// fails (the sync
		// timer's own GETs may add to the count meanwhile)
		assertThat(after.get("telpro_edge_redis_errors_total{command=\"get\"}")
				- beforeCall.getOrDefault("telpro_edge_redis_errors_total{command=\"get\"}", 0.0))
			.isGreaterThanOrEqualTo(1.0);
	}

}
