package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.telpro.control.support.AdminApi;
import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.Loopback;
import com.telpro.control.support.TestServers;
import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The match explainer never disagrees with the edge: a seeded generator makes a few dozen
 * trunks through the REST API (overlapping IPv4 ranges, IPv6, regex edge cases, equal
 * priorities, disabled trunks, digest and TLS trunks), syncs them to a real Kamailio, and
 * sends it hundreds of requests. The trunk the edge names (the backend's X-Telpro-Trunk
 * for a relayed request, the trunk label of the edge's requests_total metric for a
 * refused one) must be the trunk {@code POST /api/trunks/match} names, for every request.
 * With the same edge: the explainer's input rules and answer, the unmatched-sources list
 * and "create a trunk from this", and the page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MatchParityTests {

	private static final long SEED = 21L;

	private static final int TRUNKS = 36;

	private static final int REQUESTS = 520;

	private static final String NO_TRUNK = "(none)";

	private static final List<String> V4_CIDRS = List.of("127.64.0.0/10", "127.1.0.0/16", "127.1.2.0/24", "127.1.2.3",
			"127.1.2.0/30", "127.2.0.0/15", "127.0.0.0/30", "127.3.0.0/16", "127.1.2.128/25", "127.9.9.9/32");

	private static final List<String> V6_CIDRS = List.of("::1", "::/64", "::/127", "2001:db8::/32", "::/16");

	private static final List<String> SOURCES = List.of("127.0.0.2", "127.0.0.3", "127.1.2.3", "127.1.2.4",
			"127.1.2.200", "127.1.9.9", "127.2.5.5", "127.3.0.1", "127.3.255.255", "127.9.9.9", "127.77.0.1", "::1");

	private static final List<String> DOMAIN_PATTERNS = List.of("^carrier\\.example$", "carrier", "\\.example$",
			"^(a|b)\\.example$", "^[a-c]+\\.example$", ".*", "^x\\d{2}\\.example$", "(?:sip|voip)\\.", "\\bexample\\b",
			"^[^.]+\\.example$", "example\\.(com|net)", "EXAMPLE", "^127\\.0\\.0\\.\\d+$", "^\\[", "evil$", "a|",
			"^.{3,5}\\.example$", "[.]example[.]com$");

	private static final List<String> DOMAINS = List.of("carrier.example", "Carrier.Example", "a.example", "b.example",
			"x12.example", "x123.example", "sip.other.net", "voip.example.com", "abc.example", "carrier.example.evil",
			"127.0.0.5", "[::1]", "nope.org");

	private static final List<String> UA_PATTERNS = List.of("^Phone/1", "Phone", "^Asterisk", "\\d+\\.\\d+",
			"^(?!Evil)", "phone", "^Ph.ne\\b", "PBX\\s18", ".", "^[A-Z][a-z]+$", "\\(Linux\\)$");

	private static final List<String> USER_AGENTS = new ArrayList<>(
			List.of("Phone/1.0", "Asterisk PBX 18.0", "EvilPhone", "phone", "Ph0ne x", "Carrier", "SBC/2.10 (Linux)"));

	static {
		USER_AGENTS.add(null); // no User-Agent header
	}

	private static final int RPC_PORT = Loopback.freeSipPort();

	@DynamicPropertySource
	static void rpcUrl(DynamicPropertyRegistry registry) {
		registry.add("telpro.kamailio.rpc-url", () -> "http://127.0.0.1:" + RPC_PORT + "/RPC");
	}

	@Autowired
	TestRestTemplate http;

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	private KamailioProcess kamailio;

	private TrunkNamingBackend backend;

	private EdgeMetrics metrics;

	private final Random random = new Random(SEED);

	private String token;

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.withDefines("WITHOUT_ANTIFLOOD", "WITH_METRICS", "WITH_JSONRPC_HTTP");

	@BeforeAll
	void start() {
		new TestUsers(jdbc).ensure();
		jdbc.update("delete from trunk");
		backend = edge.uses(new TrunkNamingBackend());
		int metricsPort = Loopback.freeSipPort();
		kamailio = edge.start("edge-parity", TestServers.get().redisPort(), backend.port(),
				"METRICS_ADDR=127.0.0.1:" + metricsPort, "JSONRPC_HTTP_ADDR=127.0.0.1:" + RPC_PORT);
		metrics = new EdgeMetrics(metricsPort);
	}

	@Test
	@Order(1)
	void theExplainerNamesTheTrunkTheEdgeNamesForEveryGeneratedRequest() {
		AdminApi api = new AdminApi(http);
		token = api.post("/api/tokens", Map.of("name", "parity"), HttpStatus.CREATED).get("token").asText();
		for (int i = 0; i < TRUNKS; i++) {
			api.createTrunk(trunk(i));
		}
		kamailio.awaitGeneration(api.sync());

		Map<String, Double> last = metrics.scrape();
		List<String> disagreements = new ArrayList<>();
		Map<String, Integer> byTrunk = new HashMap<>();
		long edgeNanos = 0;
		long explainNanos = 0;
		for (int i = 0; i < REQUESTS; i++) {
			String source = pick(SOURCES);
			String domain = pick(DOMAINS);
			String ua = pick(USER_AGENTS);
			long t0 = System.nanoTime();
			int relayedBefore = backend.trunks().size();
			int status = send(source, domain, ua);
			String edge;
			if (status == 200) {
				List<String> relayed = backend.trunks();
				assertThat(relayed).hasSize(relayedBefore + 1);
				edge = relayed.get(relayed.size() - 1);
			}
			else {
				Map<String, Double> now = metrics.scrape();
				edge = movedTrunk(last, now, status);
				last = now;
			}
			long t1 = System.nanoTime();
			String explained = explain(source, domain, ua, i % 5 == 0 ? "pending" : "live");
			explainNanos += System.nanoTime() - t1;
			edgeNanos += t1 - t0;
			byTrunk.merge(edge, 1, Integer::sum);
			if (!edge.equals(explained)) {
				disagreements.add("source=" + source + " from=" + domain + " ua=" + ua + ": edge " + edge
						+ ", explainer " + explained);
			}
		}
		System.out.printf("parity: %d requests, edge %d ms, explainer %d ms, by trunk %s%n", REQUESTS,
				edgeNanos / 1_000_000, explainNanos / 1_000_000, byTrunk);
		assertThat(disagreements).isEmpty();
		// the generator exercised more than a couple of trunks and the no-match path
		assertThat(byTrunk).containsKey(NO_TRUNK);
		assertThat(byTrunk.size()).isGreaterThan(8);
	}

	@Test
	@Order(2)
	void badInputIsAProblemWithFieldErrors() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("source_ip", "carrier.example");
		body.put("transport", "sctp");
		body.put("state", "tomorrow");
		body.put("from_uri", "mailto:x");
		ResponseEntity<JsonNode> r = http.exchange("/api/trunks/match", HttpMethod.POST,
				new HttpEntity<>(body, TestUsers.bearer(token)), JsonNode.class);
		assertThat(r.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(r.getHeaders().getContentType().toString()).startsWith("application/problem+json");
		assertThat(r.getBody().toString()).contains("source_ip", "transport", "state", "from_uri");
	}

	@Test
	@Order(3)
	void aPastedRequestIsExplainedWithTheTrunksTriedAndWhatTheEdgeThenDemands() {
		jdbc.update("delete from trunk");
		AdminApi api = new AdminApi(http);
		api.createTrunk(Map.of("name", "first", "priority", 10, "identify_by", List.of("source_ip", "from_domain"),
				"allowed_ips", List.of("198.51.100.0/24"), "from_domain_pattern", "^other\\.example$", "auth_method",
				"ip_only"));
		api.createTrunk(Map.of("name", "second", "priority", 20, "identify_by", List.of("source_ip"), "allowed_ips",
				List.of("198.51.100.7"), "auth_method", "ip_and_digest", "auth_realm", "edge.telpro", "auth_user",
				"carrier", "auth_pass", "Secret-Pa55-word", "require_tls", true, "max_concurrent_calls", 5));
		String raw = "INVITE sip:+15551234567@edge.telpro SIP/2.0\r\n"
				+ "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK1;received=198.51.100.7\r\n"
				+ "From: \"Carrier\" <sip:+15550001111@sip.carrier.example>;tag=1\r\n"
				+ "To: <sip:+15551234567@edge.telpro>\r\nCall-ID: x@y\r\nCSeq: 1 INVITE\r\n"
				+ "User-Agent: Carrier SBC\r\nContent-Length: 0\r\n\r\n";
		// not synced yet: the live generation does not know them, the saved trunks do
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("raw_request", raw);
		body.put("state", "pending");
		ResponseEntity<JsonNode> r = http.exchange("/api/trunks/match", HttpMethod.POST,
				new HttpEntity<>(body, TestUsers.bearer(token)), JsonNode.class);
		assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
		JsonNode answer = r.getBody();
		assertThat(answer.path("request").path("source_ip").asText()).isEqualTo("198.51.100.7");
		assertThat(answer.path("request").path("from_domain").asText()).isEqualTo("sip.carrier.example");
		assertThat(answer.path("trunk").path("name").asText()).isEqualTo("second");
		assertThat(answer.path("tried")).hasSize(1);
		assertThat(answer.path("tried").get(0).path("name").asText()).isEqualTo("first");
		assertThat(answer.path("tried").get(0).path("priority").asInt()).isEqualTo(10);
		assertThat(answer.path("tried").get(0).path("reason").asText()).contains("sip.carrier.example");
		assertThat(answer.path("then").toString()).contains("tls_required", "at most 5 concurrent calls");
		body.put("state", "live");
		assertThat(http
			.exchange("/api/trunks/match", HttpMethod.POST, new HttpEntity<>(body, TestUsers.bearer(token)),
					JsonNode.class)
			.getBody()
			.path("trunk")
			.isNull()).isTrue();
	}

	@Test
	@Order(4)
	void anUnmatchedSourceIsListedAndCreatingATrunkFromItPrefillsTheForm() throws Exception {
		// the edge holds only the two trunks of the last test: 127.0.0.88 matches neither
		kamailio.awaitGeneration(new AdminApi(http).sync());
		Map<String, Double> before = metrics.scrape();
		assertThat(send("127.0.0.88", "unmatched.example", "Phone/1.0")).isEqualTo(403);
		assertThat(movedTrunk(before, metrics.scrape(), 403)).isEqualTo(NO_TRUNK);
		String list = mvc.perform(get("/admin-settings").with(TestUsers.asAdmin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(list).contains("127.0.0.88", "unmatched.example");
		Matcher link = Pattern.compile("href=\"(/admin-settings/trunks/new\\?source=127\\.0\\.0\\.88[^\"]*)\"")
			.matcher(list);
		assertThat(link.find()).as(list).isTrue();
		String form = mvc.perform(get(link.group(1).replace("&amp;", "&")).with(TestUsers.asAdmin()))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(form).contains("127.0.0.88").contains("^unmatched\\.example$");
		// the trunk set itself is never readable over the edge's JSON-RPC (it holds HA1s)
		HttpResponse<String> dump = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RPC_PORT + "/RPC"))
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"htable.dump\",\"params\":[\"telpro\"],\"id\":1}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(dump.statusCode()).isEqualTo(403);
	}

	@Test
	@Order(5)
	void thePageExplainsARequest() throws Exception {
		String html = mvc
			.perform(post("/admin-settings/trunks/match").with(TestUsers.asAdmin())
				.with(csrf())
				.param("sourceIp", "198.51.100.7")
				.param("transport", "tls")
				.param("fromUri", "sip:a@sip.carrier.example")
				.param("state", "pending"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html).contains("id=\"matched\"").contains(">second<").contains("first");
		String invalid = mvc
			.perform(post("/admin-settings/trunks/match").with(TestUsers.asAdmin())
				.with(csrf())
				.param("sourceIp", "not-an-ip"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(invalid).contains("sourceIp").doesNotContain("id=\"answer\"");
	}

	/** The one trunk whose requests_total series moved between two scrapes. */
	private static String movedTrunk(Map<String, Double> before, Map<String, Double> after, int status) {
		Set<String> moved = new LinkedHashSet<>();
		after.forEach((k, v) -> {
			if (k.startsWith("telpro_edge_requests_total{") && v - before.getOrDefault(k, 0.0) != 0) {
				moved.add(k);
			}
		});
		assertThat(moved).as("status " + status).hasSize(1);
		String series = moved.iterator().next();
		String trunk = series.substring(series.indexOf("trunk=\"") + 7);
		return trunk.substring(0, trunk.indexOf('"'));
	}

	private String explain(String source, String domain, String ua, String state) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("source_ip", source);
		body.put("transport", "udp");
		body.put("from_uri", "sip:carrier@" + domain);
		body.put("user_agent", ua);
		body.put("state", state);
		// a bearer token: Basic authentication hashes the password on every call, on
		// purpose slowly
		ResponseEntity<JsonNode> response = http.exchange("/api/trunks/match", HttpMethod.POST,
				new HttpEntity<>(body, TestUsers.bearer(token)), JsonNode.class);
		assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(HttpStatus.OK);
		JsonNode answer = response.getBody();
		return answer.get("trunk").isNull() ? NO_TRUNK : answer.get("trunk").get("name").asText();
	}

	private <T> T pick(List<T> list) {
		return list.get(random.nextInt(list.size()));
	}

	private Map<String, Object> trunk(int i) {
		Map<String, Object> t = new LinkedHashMap<>();
		t.put("name", String.format("p-%02d", i));
		t.put("priority", 1 + random.nextInt(6));
		t.put("enabled", random.nextInt(100) >= 15);
		List<String> identify = new ArrayList<>();
		// mostly by source address; some add header rules; a few identify by headers
		// alone
		int shape = random.nextInt(10);
		if (shape < 9) {
			identify.add("source_ip");
		}
		if (shape >= 5) {
			identify.add("from_domain");
			if (random.nextBoolean()) {
				identify.add("user_agent");
			}
		}
		t.put("identify_by", identify);
		int authShape = random.nextInt(10);
		String auth = authShape < 7 ? "ip_only" : authShape < 8 ? "ip_and_digest" : "digest";
		t.put("auth_method", auth);
		if (identify.contains("source_ip") || !auth.equals("digest")) {
			Set<String> cidrs = new LinkedHashSet<>();
			int count = 1 + random.nextInt(3);
			for (int c = 0; c < count; c++) {
				cidrs.add(random.nextInt(4) == 0 ? pick(V6_CIDRS) : pick(V4_CIDRS));
			}
			t.put("allowed_ips", new ArrayList<>(cidrs));
		}
		if (identify.contains("from_domain")) {
			t.put("from_domain_pattern", pick(DOMAIN_PATTERNS));
		}
		if (identify.contains("user_agent")) {
			t.put("user_agent_pattern", pick(UA_PATTERNS));
		}
		if (!auth.equals("ip_only")) {
			t.put("auth_realm", "parity.telpro");
			t.put("auth_user", "user" + i);
			t.put("auth_pass", "secret-" + i + "-Pa55");
		}
		if (random.nextInt(10) == 0) {
			t.put("require_tls", true);
		}
		return t;
	}

	/** One OPTIONS (with a user, so never "to the proxy") over UDP; the final status. */
	private int send(String source, String domain, String userAgent) {
		boolean v6 = source.contains(":");
		String local = v6 ? "[" + source + "]" : source;
		String edgeHost = v6 ? "[::1]" : "127.0.0.1";
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(source, 0))) {
			String id = UUID.randomUUID().toString().replace("-", "");
			String ruri = "sip:100@" + edgeHost + ":" + kamailio.port();
			StringBuilder sb = new StringBuilder();
			sb.append("OPTIONS ").append(ruri).append(" SIP/2.0\r\n");
			sb.append("Via: SIP/2.0/UDP ")
				.append(local)
				.append(':')
				.append(socket.getLocalPort())
				.append(";rport;branch=z9hG4bK")
				.append(id)
				.append("\r\n");
			sb.append("Max-Forwards: 70\r\n");
			sb.append("From: <sip:carrier@").append(domain).append(">;tag=").append(id, 0, 10).append("\r\n");
			sb.append("To: <").append(ruri).append(">\r\n");
			sb.append("Call-ID: ").append(id).append("@parity\r\n");
			sb.append("CSeq: 1 OPTIONS\r\n");
			if (userAgent != null) {
				sb.append("User-Agent: ").append(userAgent).append("\r\n");
			}
			sb.append("Content-Length: 0\r\n\r\n");
			byte[] out = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
			socket.send(new DatagramPacket(out, out.length,
					new InetSocketAddress(v6 ? "::1" : "127.0.0.1", kamailio.port())));
			socket.setSoTimeout(5000);
			byte[] in = new byte[65535];
			while (true) {
				DatagramPacket packet = new DatagramPacket(in, in.length);
				socket.receive(packet);
				String answer = new String(in, 0, packet.getLength(), StandardCharsets.ISO_8859_1);
				int status = Integer.parseInt(answer.substring(8, 11));
				if (status >= 200) {
					return status;
				}
			}
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("no answer from the edge to " + source + " / " + domain + " / " + userAgent);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
