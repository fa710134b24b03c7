package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.config.EmbeddedServers;
import com.telpro.control.subscriber.SubscriberService;
import com.telpro.control.support.Await;
import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.Loopback;
import com.telpro.control.support.Sipp;
import com.telpro.control.support.Sipp.Result;
import com.telpro.control.support.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The registrar on the wire: accounts created through the REST API, the project's
 * Kamailio with WITH_REGISTRAR + WITH_JSONRPC_HTTP connecting to the service's PostgreSQL
 * as the least-privilege {@code kamailio} role (SCRAM password), sipp phones registering
 * and calling each other, and the Registrations page showing what Kamailio wrote and
 * counted.
 */
@SpringBootTest(properties = { "telpro.kamailio.db-password=" + KamailioRegistrarTests.DB_PASSWORD,
		"telpro.kamailio.sip-domain=" + KamailioRegistrarTests.DOMAIN })
@AutoConfigureMockMvc
@WithMockUser(username = "admin", roles = "ADMIN")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KamailioRegistrarTests {

	static final String DB_PASSWORD = "test-kamailio-db-Pa55";

	static final String DOMAIN = "sip.telpro.test";

	private static final int RPC_PORT = Loopback.freeSipPort();

	private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");

	@DynamicPropertySource
	static void rpcUrl(DynamicPropertyRegistry registry) {
		registry.add("telpro.kamailio.rpc-url", () -> "http://127.0.0.1:" + RPC_PORT + "/RPC");
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ObjectMapper json;

	@Autowired
	SubscriberService subscribers;

	private KamailioProcess kamailio;

	private Phone phone1001;

	private Sipp.Backend backend;

	private int postgresPort;

	private final Map<String, Integer> ids = new java.util.HashMap<>();

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.withDefines("WITH_REGISTRAR", "WITH_JSONRPC_HTTP", "WITH_ACC_DB",
			"USRLOC_TIMER=1", "AUTH_BAN_SECONDS=" + AUTH_BAN_SECONDS, "SIP_DOMAIN=\"" + DOMAIN + "\"",
			"JSONRPC_HTTP_ADDR=127.0.0.1:" + RPC_PORT);

	@BeforeAll
	void startEdge() throws Exception {
		jdbc.update("delete from subscriber");
		jdbc.update("delete from location");
		jdbc.update("delete from trunk");
		for (String user : List.of("1001", "1002", "1003", "1004", "1005")) {
			ids.put(user, create(user, "secret-" + user));
		}
		TestServers servers = TestServers.get();
		postgresPort = servers.postgresPort();
		int phonePort = Loopback.freeSipPort();
		phone1001 = edge.uses(Phone.start(phonePort));
		int backendPort = Loopback.freeSipPort();
		backend = edge.uses(Sipp.backend(backendPort));
		kamailio = edge.start("edge-registrar", servers.redisPort(), backendPort, "DB_URL=\"postgres://kamailio:"
				+ DB_PASSWORD + "@127.0.0.1:" + postgresPort + "/" + EmbeddedServers.DATABASE + "\"");
	}

	@Test
	@Order(1)
	void goodPasswordRegistersAndTheContactIsStoredAndShown() throws Exception {
		Result r = register("1001", "secret-1001", "127.0.0.2", "sip:1001@127.0.0.1:" + phone1001.port);
		assertThat(r.lastStatus()).as(r.output()).isEqualTo("200 OK");

		Await.until(() -> count("username = '1001' and contact = 'sip:1001@127.0.0.1:" + phone1001.port + "'") == 1,
				Duration.ofSeconds(8));
		Map<String, Object> row = jdbc
			.queryForMap("select domain, received, user_agent from location where username = '1001'");
		assertThat(row.get("domain")).isEqualTo(DOMAIN);
		assertThat(row.get("received")).isIn(null, "");
		assertThat(row.get("user_agent")).isEqualTo("TestPhone/1.0");

		String page = page("/admin-settings/registrations");
		assertThat(page).contains("1001@" + DOMAIN)
			.contains("sip:1001@127.0.0.1:" + phone1001.port)
			.contains("TestPhone/1.0");
	}

	@Test
	@Order(2)
	void wrongPasswordIsRefused() {
		Result r = register("1002", "not-the-password", "127.0.0.2", "sip:1002@127.0.0.2:5099");
		assertThat(r.lastStatus()).as(r.output()).isEqualTo("403 Forbidden");
		Result unknown = register("1999", "secret-1999", "127.0.0.2", "sip:1999@127.0.0.2:5099");
		assertThat(unknown.lastStatus()).as(unknown.output()).isEqualTo("403 Forbidden");
	}

	@Test
	@Order(3)
	void aReplayedNonceIsRefused() throws Exception {
		try (DigestPhone p = new DigestPhone("127.0.0.4", "1005", "secret-1005")) {
			String challenge = p.send(p.register(1, null));
			assertThat(challenge).startsWith("SIP/2.0 401");
			String authorization = p.authorization(challenge);
			assertThat(p.send(p.register(2, authorization))).startsWith("SIP/2.0 200");

			// the same Authorization (nonce, nc=00000001, cnonce, response) once more
			assertThat(p.send(p.register(3, authorization))).startsWith("SIP/2.0 401");
		}
	}

	/**
	 * An unknown account and a wrong password look the same: the same answer, no
	 * measurable time apart.
	 */
	@Test
	@Order(3)
	void anUnknownAccountAndAWrongPasswordCannotBeToldApart() throws Exception {
		List<Long> unknown = new ArrayList<>();
		List<Long> wrongPassword = new ArrayList<>();
		java.util.Set<String> answers = new java.util.TreeSet<>();
		for (int i = 0; i < 30; i++) {
			boolean unknownCase = i % 2 == 0;
			try (DigestPhone p = new DigestPhone("127.0.0." + (110 + i % 15), unknownCase ? "1999" : "1002",
					unknownCase ? "secret-1999" : "not-the-password")) {
				String challenge = p.send(p.register(1, null));
				assertThat(challenge).startsWith("SIP/2.0 401");
				String request = p.register(2, p.authorization(challenge));
				long started = System.nanoTime();
				String answer = p.send(request);
				(unknownCase ? unknown : wrongPassword).add(System.nanoTime() - started);
				answers.add(answer.substring(0, answer.indexOf('\r')));
			}
		}
		assertThat(answers).containsExactly("SIP/2.0 403 Forbidden");
		long a = median(unknown);
		long b = median(wrongPassword);
		assertThat(Math.abs(a - b))
			.as("median answer times %d µs (unknown) vs %d µs (wrong password)", a / 1000, b / 1000)
			.isLessThan(java.time.Duration.ofMillis(3).toNanos());
	}

	/**
	 * Password guessing by REGISTER: banned after the default limit (10), the ban short
	 * here.
	 */
	private static final int AUTH_BAN_SECONDS = 10;

	@Test
	@Order(3)
	void aSourceGuessingPasswordsByRegisterIsBannedOthersRegisterAndTheBanExpires() throws Exception {
		String attacker = "127.0.0.90";
		int refused = 0;
		int silent = 0;
		String meanwhile = null;
		for (int i = 0; i < 30; i++) {
			try (DigestPhone p = new DigestPhone(attacker, "1005", "guess-" + i)) {
				p.timeout(refused < 10 ? 3000 : 250);
				String challenge = p.send(p.register(1, null));
				if (challenge.equals("no answer")) {
					silent++;
				}
				else {
					assertThat(challenge).startsWith("SIP/2.0 401");
					String answer = p.send(p.register(2, p.authorization(challenge)));
					assertThat(answer).startsWith("SIP/2.0 403");
					refused++;
				}
			}
			if (i == 15) {
				try (DigestPhone other = new DigestPhone("127.0.0.91", "1005", "secret-1005")) {
					String challenge = other.send(other.register(1, null));
					meanwhile = other.send(other.register(2, other.authorization(challenge)));
				}
			}
		}
		assertThat(refused).as("wrong passwords refused before the ban").isEqualTo(10);
		assertThat(silent).as("no challenge once banned").isEqualTo(20);
		assertThat(meanwhile).as("another source with the right password, meanwhile").startsWith("SIP/2.0 200");
		assertThat(kamailio.log()).contains("source " + attacker + " banned for " + AUTH_BAN_SECONDS
				+ " s (password guessing: 10 failed digest authentications");

		Await.until(() -> challenged(attacker), Duration.ofSeconds(AUTH_BAN_SECONDS * 3L));
		try (DigestPhone p = new DigestPhone(attacker, "1005", "secret-1005")) {
			String challenge = p.send(p.register(1, null));
			assertThat(p.send(p.register(2, p.authorization(challenge)))).as("after the ban").startsWith("SIP/2.0 200");
		}
	}

	private boolean challenged(String source) {
		try (DigestPhone p = new DigestPhone(source, "1005", "secret-1005")) {
			p.timeout(250);
			return p.send(p.register(1, null)).startsWith("SIP/2.0 401");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static long median(List<Long> values) {
		List<Long> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

	@Test
	@Order(4)
	void aNatedRegisterIsStoredWithTheAddressItCameFrom() throws Exception {
		Result r = register("1003", "secret-1003", "127.0.0.3", "sip:1003@192.168.1.50:5060");
		assertThat(r.lastStatus()).as(r.output()).isEqualTo("200 OK");

		Await.until(() -> count("username = '1003'") == 1, Duration.ofSeconds(8));
		Map<String, Object> row = jdbc.queryForMap("select contact, received from location where username = '1003'");
		assertThat(row.get("contact")).isEqualTo("sip:1003@192.168.1.50:5060");
		assertThat((String) row.get("received")).startsWith("sip:127.0.0.3:");
		assertThat(page("/admin-settings/registrations")).contains((String) row.get("received"));
	}

	@Test
	@Order(5)
	void aCallFromASubscriberReachesTheRegisteredCallee() {
		Result reg = register("1001", "secret-1001", "127.0.0.2", "sip:1001@127.0.0.1:" + phone1001.port);
		assertThat(reg.lastStatus()).as(reg.output()).isEqualTo("200 OK");

		Result call = Sipp.uac("uac_call_digest.xml", kamailio.address())
			.from("127.0.0.3")
			.key("from_user", "1002")
			.fromDomain(DOMAIN)
			.service("1001")
			.credentials("1002", "secret-1002")
			.run();
		assertThat(call.passed()).as(call.output()).isTrue();
		Await.until(() -> phone1001.calls().contains("from=1002 callid=" + call.callId()), Duration.ofSeconds(8));
		Await.until(() -> jdbc.queryForObject("select count(*) from acc where callid = ?", Integer.class,
				call.callId()) == 2, Duration.ofSeconds(8));
	}

	@Test
	@Order(6)
	void anUnregisteredCalleeIs404AndAnUnauthenticatedCallerIsChallenged() {
		Result unregistered = Sipp.uac("uac_digest_rejected.xml", kamailio.address())
			.from("127.0.0.3")
			.key("from_user", "1002")
			.fromDomain(DOMAIN)
			.service("1004")
			.credentials("1002", "secret-1002")
			.run();
		assertThat(unregistered.lastStatus()).as(unregistered.output()).isEqualTo("404 Not Found");

		Result anonymous = Sipp.uac("uac_invite_rejected.xml", kamailio.address())
			.from("127.0.0.3")
			.key("from_user", "1002")
			.fromDomain(DOMAIN)
			.service("1001")
			.run();
		assertThat(anonymous.lastStatus()).as(anonymous.output()).startsWith("407");
	}

	@Test
	@Order(7)
	void aPasswordChangedThroughTheApiAppliesAtTheNextRegister() throws Exception {
		assertThat(register("1004", "secret-1004", "127.0.0.2", "sip:1004@127.0.0.2:5098").lastStatus())
			.isEqualTo("200 OK");

		mvc.perform(put("/api/subscribers/" + ids.get("1004") + "/password").contentType(MediaType.APPLICATION_JSON)
			.content("{\"password\":\"changed-1004\"}")).andExpect(status().isNoContent());

		assertThat(register("1004", "secret-1004", "127.0.0.2", "sip:1004@127.0.0.2:5098").lastStatus())
			.isEqualTo("403 Forbidden");
		assertThat(register("1004", "changed-1004", "127.0.0.2", "sip:1004@127.0.0.2:5098").lastStatus())
			.isEqualTo("200 OK");
	}

	@Test
	@Order(8)
	void statisticsFollowTheTraffic() throws Exception {
		JsonNode before = stats();
		assertThat(before.get("reachable").asBoolean()).as(before.toString()).isTrue();

		assertThat(register("1002", "secret-1002", "127.0.0.2", "sip:1002@127.0.0.2:5097").lastStatus())
			.isEqualTo("200 OK");

		JsonNode after = stats();
		assertThat(after.get("registrations_accepted").asLong())
			.isGreaterThan(before.get("registrations_accepted").asLong());
		assertThat(after.get("requests_received").asLong())
			.isGreaterThanOrEqualTo(before.get("requests_received").asLong() + 2);
		assertThat(after.get("registered_contacts").asLong()).isGreaterThanOrEqualTo(3);
		assertThat(after.get("shared_memory_used").asLong()).isPositive();
		assertThat(page("/admin-settings/registrations")).contains("data-stat=\"registered_contacts\"")
			.contains(after.get("registrations_accepted").asText() + " / ");
	}

	@Test
	@Order(8)
	void theJsonRpcEndpointServesOnlyReadOnlyMethods() throws Exception {
		assertThat(rpcStatus("core.uptime")).isEqualTo(200);
		assertThat(rpcStatus("cfg.set")).isEqualTo(403);
		assertThat(rpcStatus("ul.rm")).isEqualTo(403);
		assertThat(rpcStatus("core.psx")).isEqualTo(403);
	}

	@Test
	@Order(9)
	void activeDialogsAreCountedPerTrunkWhileTrunkTrafficKeepsItsOwnPath() throws Exception {
		mvc.perform(post("/api/trunks").contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"stats-carrier\",\"identify_by\":[\"source_ip\"],\"allowed_ips\":[\"127.0.0.6/32\"],"
					+ "\"auth_method\":\"ip_only\"}"))
			.andExpect(status().isCreated());
		long generation = json
			.readTree(mvc.perform(post("/api/sync"))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString())
			.get("generation")
			.asLong();
		kamailio.awaitGeneration(generation);

		CompletableFuture<Result> held = CompletableFuture
			.supplyAsync(() -> Sipp.uac("uac_call.xml", kamailio.address())
				.from("127.0.0.6")
				.holdFor(Duration.ofSeconds(3))
				.run());
		Await.until(() -> statsUnchecked().path("active_dialogs_per_trunk").path("stats-carrier").asLong() == 1,
				Duration.ofSeconds(8));
		assertThat(held.get(20, TimeUnit.SECONDS).passed()).isTrue();
		Await.until(() -> statsUnchecked().path("active_dialogs_per_trunk").path("stats-carrier").asLong() == 0,
				Duration.ofSeconds(8));
		assertThat(backend.calls()).anyMatch(line -> line.startsWith("trunk=stats-carrier "));
	}

	@Test
	@Order(10)
	void kamailiosRoleLogsInWithItsScramPasswordAndCannotChangeAccounts() throws Exception {
		assertThat(jdbc.queryForObject("select rolpassword from pg_authid where rolname = 'kamailio'", String.class))
			.startsWith("SCRAM-SHA-256$4096:");
		String url = "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + EmbeddedServers.DATABASE;
		assertThatThrownBy(() -> DriverManager.getConnection(url, "kamailio", "wrong-password").close())
			.hasMessageContaining("password authentication failed");

		try (Connection c = DriverManager.getConnection(url, "kamailio", DB_PASSWORD);
				Statement s = c.createStatement()) {
			assertThat(s.executeQuery("select count(*) from subscriber").next()).isTrue();
			for (String forbidden : List.of("update subscriber set ha1 = ''", "delete from subscriber",
					"insert into subscriber (username, domain, ha1, ha1b) values ('x', 'y', 'z', 'z')",
					"select * from acc", "create table mine (id int)", "select * from trunk")) {
				assertThatThrownBy(() -> s.execute(forbidden)).as(forbidden)
					.isInstanceOf(SQLException.class)
					.hasMessageContaining("permission denied");
			}
		}
	}

	@Test
	@Order(11)
	void theStatisticsPanelSaysWhenTheProxyIsDown() throws Exception {
		edge.stop(kamailio);
		kamailio = null;
		JsonNode down = stats();
		assertThat(down.get("reachable").asBoolean()).isFalse();
		assertThat(down.get("problem").asText()).contains("unreachable");
		assertThat(page("/admin-settings/registrations")).contains("Proxy unreachable");
	}

	// ---------------------------------------------------------------- helpers

	/**
	 * @WithMockUser does not cover @BeforeAll: accounts come from the service the API
	 * calls.
	 */
	private int create(String user, String password) {
		return subscribers.create(user, DOMAIN, password).getId();
	}

	private Result register(String user, String password, String source, String contact) {
		return Sipp.uac("uac_register.xml", kamailio.address())
			.from(source)
			.key("from_user", user)
			.fromDomain(DOMAIN)
			.userAgent("TestPhone/1.0")
			.key("contact", contact)
			.credentials(user, password)
			.run();
	}

	private int count(String where) {
		return jdbc.queryForObject("select count(*) from location where " + where, Integer.class);
	}

	private String page(String path) throws Exception {
		return mvc.perform(get(path)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
	}

	private static int rpcStatus(String method) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RPC_PORT + "/RPC"))
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"id\":1}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		return response.statusCode();
	}

	private JsonNode statsUnchecked() {
		try {
			return stats();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private JsonNode stats() throws Exception {
		return json.readTree(mvc.perform(get("/api/edge-stats"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
	}

	/**
	 * 1001's phone: a sipp UAS answering calls on a loopback port (uas_subscriber.xml).
	 */
	private static final class Phone implements AutoCloseable {

		final int port;

		private final Process process;

		private final Path dir;

		private Phone(int port, Process process, Path dir) {
			this.port = port;
			this.process = process;
			this.dir = dir;
		}

		static Phone start(int port) throws IOException {
			Path dir = Files.createTempDirectory("telpro-phone-");
			Process p = new ProcessBuilder("sipp", "-sf", Sipp.SCENARIOS.resolve("uas_subscriber.xml").toString(), "-i",
					"127.0.0.1", "-p", Integer.toString(port), "-nostdin", "-trace_err")
				.directory(dir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(dir.resolve("sipp.out").toFile())
				.start();
			return new Phone(port, p, dir);
		}

		List<String> calls() {
			try {
				Path log = dir.resolve("subscriber_calls.log");
				return Files.exists(log) ? Files.readAllLines(log) : List.of();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public void close() {
			process.destroy();
			try {
				if (!process.waitFor(5, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	/**
	 * A phone that computes its own digest (RFC 2617, qop=auth), so a test can send
	 * exactly the same Authorization twice, as someone replaying a captured REGISTER
	 * would.
	 */
	private final class DigestPhone implements AutoCloseable {

		private final DatagramSocket socket;

		private final String user;

		private final String password;

		private final String callId = UUID.randomUUID() + "@replay";

		private final String tag = UUID.randomUUID().toString().substring(0, 8);

		DigestPhone(String source, String user, String password) throws IOException {
			this.socket = new DatagramSocket(new InetSocketAddress(source, 0));
			this.socket.setSoTimeout(3000);
			this.user = user;
			this.password = password;
		}

		void timeout(int millis) throws IOException {
			socket.setSoTimeout(millis);
		}

		String register(int cseq, String authorization) {
			String local = socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
			return "REGISTER sip:" + DOMAIN + " SIP/2.0\r\n" + "Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK"
					+ UUID.randomUUID().toString().replace("-", "") + "\r\n" + "Max-Forwards: 70\r\n" + "From: <sip:"
					+ user + "@" + DOMAIN + ">;tag=" + tag + "\r\n" + "To: <sip:" + user + "@" + DOMAIN + ">\r\n"
					+ "Call-ID: " + callId + "\r\n" + "CSeq: " + cseq + " REGISTER\r\n" + "Contact: <sip:" + user + "@"
					+ local + ">\r\n" + "Expires: 300\r\n" + (authorization == null ? "" : authorization + "\r\n")
					+ "Content-Length: 0\r\n\r\n";
		}

		String authorization(String challenge) throws Exception {
			Matcher m = NONCE.matcher(challenge);
			assertThat(m.find()).as(challenge).isTrue();
			String nonce = m.group(1);
			String uri = "sip:" + DOMAIN;
			String nc = "00000001";
			String cnonce = "0a4f113b";
			String ha1 = md5(user + ":" + DOMAIN + ":" + password);
			String ha2 = md5("REGISTER:" + uri);
			String response = md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
			return "Authorization: Digest username=\"" + user + "\", realm=\"" + DOMAIN + "\", nonce=\"" + nonce
					+ "\", uri=\"" + uri + "\", response=\"" + response + "\", algorithm=MD5, cnonce=\"" + cnonce
					+ "\", nc=" + nc + ", qop=auth";
		}

		/** Sends one request and returns the first final reply's text. */
		String send(String request) throws IOException {
			byte[] out = request.getBytes(StandardCharsets.US_ASCII);
			socket.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", kamailio.port())));
			byte[] in = new byte[8192];
			while (true) {
				DatagramPacket answer = new DatagramPacket(in, in.length);
				try {
					socket.receive(answer);
				}
				catch (SocketTimeoutException ex) {
					return "no answer";
				}
				String text = new String(in, 0, answer.getLength(), StandardCharsets.US_ASCII);
				if (!text.startsWith("SIP/2.0 1")) {
					return text;
				}
			}
		}

		private static String md5(String text) throws Exception {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
		}

		@Override
		public void close() {
			socket.close();
		}

	}

}
