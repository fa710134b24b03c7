package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.telpro.control.support.Await;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.RawSip;
import com.telpro.control.support.RawSip.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The edge's screening before routing (js/reqinit.js) against a real Kamailio: flood
 * detection feeding a ban table that expires, scanner User-Agents, no open relay, and
 * digest answers that do not tell a wrong user from a wrong password. Pike and the ban
 * run with small figures here (20 requests per 2 s, 2 s bans) so the test stays short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KamailioReqinitTests {

	private static final String TRUNK_SOURCE = "127.0.0.2";

	private static final Duration NO_ANSWER = Duration.ofMillis(300);

	private final ContractRedis redis = new ContractRedis();

	private CountingBackend backend;

	private KamailioProcess kamailio;

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.withDefines("PIKE_DENSITY=20", "BAN_SECONDS=2");

	@BeforeAll
	void start() {
		edge.uses(redis).start();
		backend = edge.uses(new CountingBackend());
		kamailio = edge.start("edge-reqinit", redis.port(), backend.port());
		edge.load(() -> redis.publish(List.of(EdgeTrunk.named("carrier", 10).cidrs(TRUNK_SOURCE + "/32"),
				EdgeTrunk.named("digest", 20)
					.identifyBy("from_domain")
					.fromDomain("^digest\\.example$")
					.digest("digest", null, "duser", "dpass"))));
	}

	// ------------------------------------------------------------------ flood and ban

	@Test
	void aFloodingStrangerIsBannedOthersAreServedAndTheBanExpires() throws Exception {
		String flooder = "127.0.0.60";
		int answered = burst(flooder, 200, Duration.ofSeconds(1));
		assertThat(answered).as("answers to a burst of 200 from a stranger").isBetween(1, 100);
		assertThat(kamailio.log()).contains("source " + flooder + " banned for 2 s (flood)");
		assertThat(options(flooder, NO_ANSWER).none()).as("banned source answered").isTrue();

		assertThat(kamailio.options(Duration.ofSeconds(1))).as("another source").isEqualTo(200);
		// UDP on a loaded machine may lose a few datagrams, so the proof is not "all
		// 200": a trunk
		// gets more answers than the flood limit ever lets a stranger have, is never
		// banned, and is
		// served right after its burst.
		assertThat(burst(TRUNK_SOURCE, 200, Duration.ofSeconds(3))).as("a trunk's burst is never counted")
			.isGreaterThan(150);
		assertThat(kamailio.log()).as("a trunk's address is never banned")
			.doesNotContain("source " + TRUNK_SOURCE + " banned");
		assertThat(options(TRUNK_SOURCE, Duration.ofSeconds(1)).status()).isEqualTo(200);

		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		Answer after = Answer.NONE;
		while (after.none() && System.nanoTime() < deadline) {
			Thread.sleep(700);
			after = options(flooder, NO_ANSWER);
		}
		assertThat(after.status()).as("served again once the ban expired").isEqualTo(200);
	}

	// ------------------------------------------------------------------ scanners

	@Test
	void scannerUserAgentsGetNoAnswerAndAStrangerScanningIsBanned() {
		String scanner = "127.0.0.61";
		assertThat(options(scanner, NO_ANSWER, "User-Agent: friendly-scanner").none()).isTrue();
		assertThat(options(scanner, NO_ANSWER).none()).as("banned after scanning").isTrue();
		assertThat(options("127.0.0.62", NO_ANSWER, "User-Agent: sipvicious 0.3.4").none()).isTrue();
		assertThat(options("127.0.0.63", NO_ANSWER, "User-Agent: VaxSIPUserAgent/3.1").none()).isTrue();
		assertThat(options("127.0.0.64", NO_ANSWER, "User-Agent: sipcli/v1.8").none()).isTrue();

		// a trunk's address is never banned, but a scanner UA from it is still not served
		assertThat(options(TRUNK_SOURCE, NO_ANSWER, "User-Agent: friendly-scanner").none()).isTrue();
		assertThat(options(TRUNK_SOURCE, Duration.ofSeconds(1)).status()).isEqualTo(200);
		assertThat(options("127.0.0.65", Duration.ofSeconds(1), "User-Agent: Polycom VVX 411").status())
			.as("an ordinary User-Agent")
			.isEqualTo(200);
	}

	// ------------------------------------------------------------------ open relay

	@Test
	void nothingIsRelayedToTheRequestUriOnlyEverToTheBackend() {
		try (CountingBackend victim = new CountingBackend()) {
			String target = "sip:victim@127.0.0.1:" + victim.port();
			Answer stranger = RawSip.udp("127.0.0.66", kamailio.port(),
					RawSip.bytes(RawSip.request("INVITE", target, kamailio.port())), Duration.ofSeconds(1));
			assertThat(stranger.status()).isEqualTo(403);

			String forged = "BYE " + target + " SIP/2.0\r\nVia: SIP/2.0/UDP ${local};rport;branch=${branch}\r\n"
					+ "Route: <sip:127.0.0.1:" + kamailio.port() + ";lr>\r\nMax-Forwards: 70\r\n"
					+ "From: <sip:a@carrier.example>;tag=${tag}\r\nTo: <" + target + ">;tag=forged\r\n"
					+ "Call-ID: ${callid}\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
			assertThat(RawSip.udp("127.0.0.66", kamailio.port(), RawSip.bytes(forged), Duration.ofSeconds(1)).status())
				.as("forged Route from a stranger")
				.isEqualTo(403);
			assertThat(RawSip.udp(TRUNK_SOURCE, kamailio.port(), RawSip.bytes(forged), Duration.ofSeconds(1)).status())
				.as("forged Route from a trunk")
				.isEqualTo(403);

			// a trunk's request for a foreign URI goes to the backend, never to that URI
			String callId = "relay-" + UUID.randomUUID();
			RawSip.udp(TRUNK_SOURCE, kamailio.port(),
					RawSip.bytes(RawSip.request("INVITE", target, kamailio.port()).replace("${callid}", callId)),
					Duration.ofMillis(500));
			Await.until(() -> !backend.relayed(callId).isEmpty(), Duration.ofSeconds(3));
			assertThat(victim.received()).isEmpty();
		}
	}

	// ------------------------------------------------------------------ unknown users

	@Test
	void aWrongUserAndAWrongPasswordGetTheSameAnswerInTheSameTime() throws Exception {
		List<Long> wrongUser = new ArrayList<>();
		List<Long> wrongPassword = new ArrayList<>();
		String lastUserAnswer = null;
		String lastPasswordAnswer = null;
		for (int i = 0; i < 40; i++) {
			String source = "127.0.0." + (100 + i % 20);
			boolean userCase = i % 2 == 0;
			DigestAttempt attempt = digestAttempt(source, userCase ? "nobody" : "duser", userCase ? "dpass" : "wrong");
			(userCase ? wrongUser : wrongPassword).add(attempt.nanos());
			if (userCase) {
				lastUserAnswer = attempt.answer();
			}
			else {
				lastPasswordAnswer = attempt.answer();
			}
		}
		assertThat(lastUserAnswer).isEqualTo("403 Forbidden").isEqualTo(lastPasswordAnswer);
		long userMedian = median(wrongUser);
		long passwordMedian = median(wrongPassword);
		assertThat(Math.abs(userMedian - passwordMedian))
			.as("median answer times %d µs vs %d µs", userMedian / 1000, passwordMedian / 1000)
			.isLessThan(Duration.ofMillis(3).toNanos());
		assertThat(backend.received()).noneMatch(m -> m.contains("digest.example"));
	}

	private record DigestAttempt(String answer, long nanos) {
	}

	/**
	 * INVITE → 407, then the INVITE with credentials; the second answer and how long it
	 * took.
	 */
	private DigestAttempt digestAttempt(String source, String user, String password) throws Exception {
		String uri = "sip:15551234@127.0.0.1:" + kamailio.port();
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(source, 0))) {
			socket.setReceiveBufferSize(1 << 20);
			String local = source + ":" + socket.getLocalPort();
			String callId = UUID.randomUUID() + "@digest";
			String challenge = exchange(socket, invite(uri, local, callId, 1, null));
			Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
			assertThat(challenge).startsWith("SIP/2.0 407");
			assertThat(nonce.find()).isTrue();
			String realm = "digest.example";
			String ha1 = md5(user + ":" + realm + ":" + password);
			String ha2 = md5("INVITE:" + uri);
			String cnonce = "0a4f113b";
			String response = md5(ha1 + ":" + nonce.group(1) + ":00000001:" + cnonce + ":auth:" + ha2);
			String credentials = "Proxy-Authorization: Digest username=\"" + user + "\", realm=\"" + realm
					+ "\", nonce=\"" + nonce.group(1) + "\", uri=\"" + uri + "\", response=\"" + response
					+ "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"" + cnonce + "\"";
			long started = System.nanoTime();
			String answer = exchange(socket, invite(uri, local, callId, 2, credentials));
			long took = System.nanoTime() - started;
			return new DigestAttempt(answer.substring(8, answer.indexOf('\r')), took);
		}
	}

	private static String invite(String uri, String local, String callId, int cseq, String extra) {
		return "INVITE " + uri + " SIP/2.0\r\nVia: SIP/2.0/UDP " + local + ";rport;branch=z9hG4bK"
				+ UUID.randomUUID().toString().replace("-", "") + "\r\nMax-Forwards: 70\r\n"
				+ "From: <sip:alice@digest.example>;tag=t" + cseq + "\r\nTo: <" + uri + ">\r\nCall-ID: " + callId
				+ "\r\nCSeq: " + cseq + " INVITE\r\n" + (extra == null ? "" : extra + "\r\n")
				+ "Content-Length: 0\r\n\r\n";
	}

	/** Sends one request and returns the first final answer (1xx skipped). */
	private String exchange(DatagramSocket socket, String request) throws IOException {
		byte[] out = request.getBytes(StandardCharsets.US_ASCII);
		socket.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", kamailio.port())));
		socket.setSoTimeout(2000);
		byte[] in = new byte[8192];
		while (true) {
			DatagramPacket p = new DatagramPacket(in, in.length);
			socket.receive(p);
			String text = new String(in, 0, p.getLength(), StandardCharsets.US_ASCII);
			if (text.charAt(8) != '1') {
				return text;
			}
		}
	}

	// ------------------------------------------------------------------ helpers

	private Answer options(String source, Duration wait, String... headers) {
		return RawSip.udp(source, kamailio.port(),
				RawSip.bytes(RawSip.request("OPTIONS", "sip:127.0.0.1:" + kamailio.port(), kamailio.port(), headers)),
				wait);
	}

	/**
	 * Sends count OPTIONS from one socket without waiting, then counts the answers for 1
	 * s.
	 */
	/**
	 * Sends {@code count} OPTIONS at once and counts the answers that arrive within
	 * {@code wait}.
	 */
	private int burst(String source, int count, Duration wait) throws IOException {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(source, 0))) {
			socket.setReceiveBufferSize(1 << 20);
			String local = source + ":" + socket.getLocalPort();
			InetSocketAddress edge = new InetSocketAddress("127.0.0.1", kamailio.port());
			for (int i = 0; i < count; i++) {
				String text = RawSip.request("OPTIONS", "sip:127.0.0.1:" + kamailio.port(), kamailio.port())
					.replace("${transport}", "UDP")
					.replace("${local}", local)
					.replace("${branch}", "z9hG4bKburst" + i + UUID.randomUUID().toString().substring(0, 8))
					.replace("${tag}", "b" + i)
					.replace("${callid}", "burst-" + i + "-" + UUID.randomUUID());
				byte[] out = text.getBytes(StandardCharsets.US_ASCII);
				socket.send(new DatagramPacket(out, out.length, edge));
			}
			int answered = 0;
			long deadline = System.nanoTime() + wait.toNanos();
			byte[] in = new byte[8192];
			while (answered < count && System.nanoTime() < deadline) {
				socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
				try {
					socket.receive(new DatagramPacket(in, in.length));
					answered++;
				}
				catch (SocketTimeoutException ex) {
					break;
				}
			}
			return answered;
		}
	}

	private static long median(List<Long> values) {
		List<Long> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

	private static String md5(String s) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
	}

}
