package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.telpro.control.support.Await;
import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The edge's trust boundary against a real Kamailio and a backend that answers: nothing a
 * caller sends impersonates the platform (X-Telpro-*, X-Call-ID) in initial or in-dialog
 * requests, the backend's product details and platform headers never reach a carrier, an
 * X-Call admits one call on its own trunk and is spent only when the call is relayed,
 * password guessing bans its source without touching anyone else, and a SIP-I body with
 * binary ISUP is relayed byte for byte. Password guessing runs with small figures here (5
 * failures, 15 s ban).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KamailioTrustBoundaryTests {

	private static final String CARRIER = "127.0.0.2";

	private static final String XCALL_A = "127.0.0.5";

	private static final String XCALL_B = "127.0.0.6";

	private static final String OFFICE = "127.0.0.80";

	private static final int FAIL_LIMIT = 5;

	private static final int BAN_SECONDS = 15;

	private static final Duration ANSWER = Duration.ofSeconds(3);

	private static final Duration NO_ANSWER = Duration.ofMillis(400);

	private static final String SPOOFED = "X-Telpro-Trunk: evil\r\nX-Telpro-External-Call-Id: forged\r\n"
			+ "X-Call-ID: " + "e".repeat(32) + "\r\nP-Asserted-Identity: <sip:+15550000000@spoofed.example>\r\n";

	private final ContractRedis redis = new ContractRedis();

	private AnsweringBackend backend;

	private KamailioProcess kamailio;

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.withDefines("AUTH_FAIL_LIMIT=" + FAIL_LIMIT, "AUTH_FAIL_WINDOW=60",
			"AUTH_BAN_SECONDS=" + BAN_SECONDS);

	@BeforeAll
	void start() {
		edge.uses(redis).start();
		backend = edge.uses(new AnsweringBackend());
		kamailio = edge.start("edge-trust", redis.port(), backend.port());
		edge.load(() -> redis.publish(List.of(
				EdgeTrunk.named("carrier", 10)
					.cidrs(CARRIER + "/32")
					.set("strip_headers", List.of("P-Asserted-Identity")),
				EdgeTrunk.named("xcall-a", 10).cidrs(XCALL_A + "/32").set("requires_x_call", true),
				EdgeTrunk.named("xcall-b", 10).cidrs(XCALL_B + "/32").set("requires_x_call", true),
				EdgeTrunk.named("office", 10)
					.cidrs(OFFICE + "/32")
					.digest("ip_and_digest", "office.example", "office", "office-pass"),
				EdgeTrunk.named("digest", 20)
					.identifyBy("from_domain")
					.fromDomain("^digest\\.example$")
					.digest("digest", null, "duser", "dpass"))));
	}

	// ------------------------------------------------------------------ platform headers

	@Test
	void spoofedPlatformHeadersNeverReachTheBackendInitialOrInDialog() {
		try (Caller caller = new Caller(CARRIER)) {
			String callId = caller.callId;
			String ok = caller.invite("sip:15551234@127.0.0.1:" + kamailio.port(), SPOOFED, null, "");
			assertThat(ok).startsWith("SIP/2.0 200");
			caller.ack(1);
			assertThat(caller.inDialog("INFO", 2, SPOOFED)).startsWith("SIP/2.0 200");
			assertThat(caller.inDialog("INVITE", 3, SPOOFED)).startsWith("SIP/2.0 200");
			caller.ack(3);
			assertThat(caller.inDialog("BYE", 4, SPOOFED)).startsWith("SIP/2.0 200");

			Await.until(() -> backend.messages(callId).stream().anyMatch(m -> m.startsWith("BYE ")), ANSWER);
			List<String> seen = backend.messages(callId);
			assertThat(seen).extracting(m -> m.substring(0, m.indexOf(' '))).contains("INVITE", "ACK", "INFO", "BYE");
			assertThat(seen).as("the caller's values at the backend")
				.noneMatch(m -> m.contains("evil") || m.contains("forged") || m.contains("e".repeat(32))
						|| m.contains("spoofed.example"));
			// the edge's own facts are there on the initial INVITE, once
			assertThat(seen.get(0)).contains("X-Telpro-Trunk: carrier\r\n");
			assertThat(seen.get(0).split("X-Telpro-Trunk", -1)).hasSize(2);

			assertThat(caller.received).as("the backend's details at the carrier")
				.isNotEmpty()
				.noneMatch(m -> m.contains("BackendPBX") || m.contains("X-Telpro-") || m.contains("b".repeat(32)));
		}
	}

	@Test
	void theBackendsHangUpReachesTheCarrierWithoutItsDetailsAndTheCarriersAnswerBackWithoutPlatformHeaders() {
		try (Caller caller = new Caller(CARRIER)) {
			String ok = caller.invite("sip:15551234@127.0.0.1:" + kamailio.port(), "", null, "");
			assertThat(ok).startsWith("SIP/2.0 200");
			caller.ack(1);
			backend.hangUp(backend.messages(caller.callId).get(0), kamailio.port());
			String bye = caller.awaitRequest(ANSWER);
			assertThat(bye).as("the backend's BYE at the carrier").startsWith("BYE ");
			assertThat(bye).doesNotContain("BackendPBX").doesNotContain("X-Telpro-");
			caller.answer(bye, SPOOFED);
			Await.until(() -> backend.messages(caller.callId).stream().anyMatch(m -> m.startsWith("SIP/2.0 200")),
					ANSWER);
			assertThat(backend.messages(caller.callId)).filteredOn(m -> m.startsWith("SIP/2.0"))
				.as("the carrier's answer at the backend")
				.singleElement()
				.satisfies(m -> assertThat(m).doesNotContain("evil")
					.doesNotContain("forged")
					.doesNotContain("e".repeat(32)));
		}
	}

	// ------------------------------------------------------------------ X-Call

	@Test
	void anXCallIdFromATrunkWithoutRequiresXCallNeverReachesTheBackend() {
		String id = newId();
		redis.createXCall(id, null);
		try (Caller caller = new Caller(CARRIER)) {
			String ok = caller.invite("sip:1@127.0.0.1:" + kamailio.port(), "X-Call-ID: " + id + "\r\n", null, "");
			assertThat(ok).startsWith("SIP/2.0 200");
			caller.ack(1);
			assertThat(backend.messages(caller.callId)).isNotEmpty().noneMatch(m -> m.contains("X-Call-ID"));
		}
		assertThat(redis.exists("telpro:v1:xcall:" + id)).as("not spent by a trunk that needs none").isTrue();
	}

	@Test
	void anXCallMadeForOneTrunkIsRefusedOnAnotherAndAdmitsExactlyOneCallOnItsOwn() {
		String id = newId();
		redis.createXCall(id, "xcall-a");
		try (Caller b = new Caller(XCALL_B)) {
			String refused = b.invite("sip:1@127.0.0.1:" + kamailio.port(), "X-Call-ID: " + id + "\r\n", null, "");
			assertThat(refused).startsWith("SIP/2.0 403 X-Call-ID unknown or already used");
			assertThat(backend.messages(b.callId)).isEmpty();
		}
		assertThat(redis.exists("telpro:v1:xcall:" + id)).as("a refusal does not spend it").isTrue();

		// two INVITEs with the same id at once: exactly one is relayed
		List<CompletableFuture<String>> racing = new ArrayList<>();
		List<Caller> callers = List.of(new Caller(XCALL_A), new Caller(XCALL_A));
		try {
			for (Caller c : callers) {
				racing.add(CompletableFuture.supplyAsync(
						() -> c.invite("sip:1@127.0.0.1:" + kamailio.port(), "X-Call-ID: " + id + "\r\n", null, "")));
			}
			List<String> answers = racing.stream().map(CompletableFuture::join).map(a -> a.substring(0, 11)).toList();
			assertThat(answers).containsExactlyInAnyOrder("SIP/2.0 200", "SIP/2.0 403");
			Caller winner = callers.get(answers.get(0).endsWith("200") ? 0 : 1);
			winner.ack(1);
			List<String> relayed = backend.messages(winner.callId);
			assertThat(relayed.get(0)).as("the verified id, once").contains("X-Call-ID: " + id + "\r\n");
			assertThat(relayed.get(0).split("X-Call-ID", -1)).hasSize(2);
		}
		finally {
			callers.forEach(Caller::close);
		}
		assertThat(redis.exists("telpro:v1:xcall:" + id)).isFalse();
	}

	// ------------------------------------------------------------------ password
	// guessing

	@Test
	void aSourceGuessingPasswordsIsBannedAfterTheLimitOthersAreServedAndTheBanExpires() {
		String attacker = "127.0.0.70";
		int refused = 0;
		int silent = 0;
		String legitimate = null;
		for (int i = 0; i < 30; i++) {
			String answer = digestCall(attacker, "duser", "guess" + i, "digest.example",
					i < FAIL_LIMIT ? ANSWER : NO_ANSWER);
			if (answer == null) {
				silent++;
			}
			else if (answer.startsWith("SIP/2.0 403")) {
				refused++;
			}
			if (i == 15) {
				legitimate = digestCall("127.0.0.71", "duser", "dpass", "digest.example", ANSWER);
			}
		}
		assertThat(refused).as("wrong passwords answered 403 before the ban").isEqualTo(FAIL_LIMIT);
		assertThat(silent).as("no challenge, no answer once banned").isEqualTo(30 - FAIL_LIMIT);
		assertThat(legitimate).as("another source with the right password, meanwhile").startsWith("SIP/2.0 200");
		assertThat(kamailio.log()).contains("source " + attacker + " banned for " + BAN_SECONDS
				+ " s (password guessing: " + FAIL_LIMIT + " failed digest authentications");

		Await.until(() -> challenge(attacker, "digest.example") != null, Duration.ofSeconds(BAN_SECONDS * 3L));
		assertThat(digestCall(attacker, "duser", "dpass", "digest.example", ANSWER)).as("after the ban")
			.startsWith("SIP/2.0 200");
	}

	@Test
	void aTrunksOwnAddressIsNotBannedForAnotherUsersFailures() {
		for (int i = 0; i < FAIL_LIMIT + 3; i++) {
			assertThat(digestCall(OFFICE, "intruder", "guess" + i, "office.example", ANSWER)).as("attempt %d", i)
				.startsWith("SIP/2.0 403");
		}
		assertThat(kamailio.log()).contains("user 'intruder' refused from trunk address " + OFFICE)
			.doesNotContain("source " + OFFICE + " banned");
		assertThat(digestCall(OFFICE, "office", "office-pass", "office.example", ANSWER)).startsWith("SIP/2.0 200");
	}

	// ------------------------------------------------------------------ SIP-I bodies

	@Test
	void aSipIInviteWithBinaryIsupIsRelayedByteForByteAndANulInAHeaderIsStillRefused() {
		byte[] isup = HexFormat.of()
			.parseHex("01001000000a03020a08039010123456780f0a0703130000000000ff0d0a000d0a0d0a00");
		String boundary = "unique-boundary-1";
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		byte[] sdp = ("--" + boundary + "\r\nContent-Type: application/sdp\r\n\r\nv=0\r\no=- 1 1 IN IP4 127.0.0.2\r\n"
				+ "s=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n\r\n--" + boundary
				+ "\r\nContent-Type: application/ISUP;version=itu-t92+\r\nContent-Disposition: signal;handling=optional\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		body.writeBytes(sdp);
		body.writeBytes(isup);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
		byte[] sent = body.toByteArray();

		try (Caller caller = new Caller(CARRIER)) {
			String ok = caller.invite("sip:15551234@127.0.0.1:" + kamailio.port(), "MIME-Version: 1.0\r\n",
					"multipart/mixed;boundary=" + boundary, new String(sent, StandardCharsets.ISO_8859_1));
			assertThat(ok).startsWith("SIP/2.0 200");
			caller.ack(1);
			byte[] relayed = backend.raw(caller.callId).get(0);
			String text = AnsweringBackend.text(relayed);
			byte[] relayedBody = Arrays.copyOfRange(relayed, text.indexOf("\r\n\r\n") + 4, relayed.length);
			assertThat(relayedBody).as("the body at the backend").isEqualTo(sent);
			assertThat(text).contains("Content-Length: " + sent.length + "\r\n");
		}
		try (Caller caller = new Caller(CARRIER)) {
			String refused = caller.invite("sip:15551234@127.0.0.1:" + kamailio.port(), "X-Note: a\u0000b\r\n", null,
					"");
			assertThat(refused).startsWith("SIP/2.0 400 NUL Byte In Message");
			assertThat(backend.messages(caller.callId)).isEmpty();
		}
	}

	// ------------------------------------------------------------------ helpers

	private static String newId() {
		return UUID.randomUUID().toString().replace("-", "");
	}

	/**
	 * INVITE → 407 → INVITE with credentials: the final answer to the second, or null
	 * without one.
	 */
	private String digestCall(String source, String user, String password, String realm, Duration wait) {
		try (Caller caller = new Caller(source)) {
			caller.fromDomain = realm;
			String uri = "sip:15551234@127.0.0.1:" + kamailio.port();
			String challenge = caller.request("INVITE", uri, 1, "", null, "", wait);
			if (challenge == null) {
				return null;
			}
			assertThat(challenge).startsWith("SIP/2.0 407");
			caller.ackStateless(uri, 1);
			Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
			assertThat(nonce.find()).isTrue();
			String ha1 = md5(user + ":" + realm + ":" + password);
			String ha2 = md5("INVITE:" + uri);
			String response = md5(ha1 + ":" + nonce.group(1) + ":00000001:0a4f113b:auth:" + ha2);
			String credentials = "Proxy-Authorization: Digest username=\"" + user + "\", realm=\"" + realm
					+ "\", nonce=\"" + nonce.group(1) + "\", uri=\"" + uri + "\", response=\"" + response
					+ "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"0a4f113b\"\r\n";
			String answer = caller.request("INVITE", uri, 2, credentials, null, "", wait);
			if (answer != null && answer.startsWith("SIP/2.0 200")) {
				caller.ackOk(2);
			}
			else if (answer != null) {
				caller.ackStateless(uri, 2);
			}
			return answer;
		}
	}

	/**
	 * The first answer to a credential-less INVITE, or null when there is none (banned).
	 */
	private String challenge(String source, String realm) {
		try (Caller caller = new Caller(source)) {
			caller.fromDomain = realm;
			return caller.request("INVITE", "sip:15551234@127.0.0.1:" + kamailio.port(), 1, "", null, "", NO_ANSWER);
		}
	}

	private static String md5(String s) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A carrier's UDP user agent for one call: INVITE, then requests inside the dialog.
	 */
	private final class Caller implements AutoCloseable {

		private final DatagramSocket socket;

		private final String local;

		private final String callId = newId() + "@trust";

		private final String fromTag = newId().substring(0, 10);

		private final List<String> received = new ArrayList<>();

		private String fromDomain = "carrier.example";

		private String requestUri;

		private String remoteTarget;

		private String toHeader;

		private List<String> routeSet = List.of();

		Caller(String source) {
			try {
				socket = new DatagramSocket(new InetSocketAddress(source, 0));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			local = source + ":" + socket.getLocalPort();
		}

		/** The initial INVITE; on 200 the dialog's route set and target are kept. */
		String invite(String uri, String headers, String contentType, String body) {
			requestUri = uri;
			String answer = request("INVITE", uri, 1, headers, contentType, body, ANSWER);
			assertThat(answer).as("an answer to the INVITE").isNotNull();
			if (answer.startsWith("SIP/2.0 2")) {
				List<String> rr = values(answer, "Record-Route");
				Collections.reverse(rr);
				routeSet = rr;
				Matcher contact = Pattern.compile("(?m)^Contact: *<([^>]+)>").matcher(answer);
				assertThat(contact.find()).isTrue();
				remoteTarget = contact.group(1);
				Matcher to = Pattern.compile("(?m)^To: *([^\r\n]*)").matcher(answer);
				assertThat(to.find()).isTrue();
				toHeader = to.group(1);
			}
			return answer;
		}

		String inDialog(String method, int cseq, String headers) {
			return send(message(method, remoteTarget, cseq, method, headers, toHeader, routeSet, null, ""), ANSWER);
		}

		void ack(int cseq) {
			ackOk(cseq);
		}

		/** ACK of a 2xx: a new transaction along the route set. */
		void ackOk(int cseq) {
			if (remoteTarget == null) {
				return;
			}
			lastBranch = "";
			sendOnly(message("ACK", remoteTarget, cseq, "ACK", "", toHeader, routeSet, null, ""));
		}

		/**
		 * ACK of a negative answer: hop by hop to the edge, in the INVITE's transaction
		 * (its branch).
		 */
		void ackStateless(String uri, int cseq) {
			sendOnly(message("ACK", uri, cseq, "ACK", "", toOfLast(), List.of(), null, ""));
		}

		/** The branch of the last request; an ACK of a negative answer reuses it. */
		private String lastBranch = "";

		private String toOfLast() {
			String last = received.isEmpty() ? "" : received.get(received.size() - 1);
			Matcher to = Pattern.compile("(?m)^To: *([^\r\n]*)").matcher(last);
			return to.find() ? to.group(1) : "<" + requestUri + ">";
		}

		String request(String method, String uri, int cseq, String headers, String contentType, String body,
				Duration wait) {
			requestUri = uri;
			return send(message(method, uri, cseq, method, headers, "<" + uri + ">", List.of(), contentType, body),
					wait);
		}

		private String message(String method, String uri, int cseq, String cseqMethod, String headers, String to,
				List<String> routes, String contentType, String body) {
			if (!method.equals("ACK") || lastBranch.isEmpty()) {
				lastBranch = "z9hG4bK" + newId();
			}
			StringBuilder sb = new StringBuilder();
			sb.append(method).append(' ').append(uri).append(" SIP/2.0\r\n");
			sb.append("Via: SIP/2.0/UDP ").append(local).append(";rport;branch=").append(lastBranch).append("\r\n");
			for (String r : routes) {
				sb.append("Route: ").append(r).append("\r\n");
			}
			sb.append("Max-Forwards: 70\r\n");
			sb.append("From: <sip:caller@").append(fromDomain).append(">;tag=").append(fromTag).append("\r\n");
			sb.append("To: ").append(to).append("\r\n");
			sb.append("Call-ID: ").append(callId).append("\r\n");
			sb.append("CSeq: ").append(cseq).append(' ').append(cseqMethod).append("\r\n");
			sb.append("Contact: <sip:caller@").append(local).append(">\r\n");
			sb.append("User-Agent: CarrierSBC/1.0\r\n");
			sb.append(headers);
			if (contentType != null) {
				sb.append("Content-Type: ").append(contentType).append("\r\n");
			}
			byte[] bodyBytes = body.getBytes(StandardCharsets.ISO_8859_1);
			sb.append("Content-Length: ").append(bodyBytes.length).append("\r\n\r\n").append(body);
			return sb.toString();
		}

		private void sendOnly(String message) {
			byte[] out = message.getBytes(StandardCharsets.ISO_8859_1);
			try {
				socket.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", kamailio.port())));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * Sends and returns the final answer (1xx skipped), or null when none came in
		 * time.
		 */
		private String send(String message, Duration wait) {
			sendOnly(message);
			long deadline = System.nanoTime() + wait.toNanos();
			byte[] in = new byte[65535];
			try {
				while (true) {
					long left = (deadline - System.nanoTime()) / 1_000_000;
					if (left <= 0) {
						return null;
					}
					socket.setSoTimeout((int) left);
					DatagramPacket p = new DatagramPacket(in, in.length);
					socket.receive(p);
					String text = new String(in, 0, p.getLength(), StandardCharsets.ISO_8859_1);
					received.add(text);
					if (text.startsWith("SIP/2.0 ") && text.charAt(8) != '1') {
						return text;
					}
				}
			}
			catch (SocketTimeoutException ex) {
				return null;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** The next request the edge sends this caller, or null. */
		String awaitRequest(Duration wait) {
			long deadline = System.nanoTime() + wait.toNanos();
			byte[] in = new byte[65535];
			try {
				while (true) {
					long left = (deadline - System.nanoTime()) / 1_000_000;
					if (left <= 0) {
						return null;
					}
					socket.setSoTimeout((int) left);
					DatagramPacket p = new DatagramPacket(in, in.length);
					socket.receive(p);
					String text = new String(in, 0, p.getLength(), StandardCharsets.ISO_8859_1);
					received.add(text);
					if (!text.startsWith("SIP/2.0 ")) {
						return text;
					}
				}
			}
			catch (SocketTimeoutException ex) {
				return null;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** 200 OK to a request from the edge, with extra header lines. */
		void answer(String request, String headers) {
			StringBuilder out = new StringBuilder("SIP/2.0 200 OK\r\n");
			for (String line : request.substring(0, request.indexOf("\r\n\r\n")).split("\r\n")) {
				String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim().toLowerCase() : "";
				if (List.of("via", "from", "to", "call-id", "cseq").contains(name)) {
					out.append(line).append("\r\n");
				}
			}
			out.append(headers).append("Content-Length: 0\r\n\r\n");
			sendOnly(out.toString());
		}

		private static List<String> values(String message, String header) {
			List<String> out = new ArrayList<>();
			Matcher m = Pattern.compile("(?mi)^" + header + ": *([^\r\n]*)").matcher(message);
			while (m.find()) {
				for (String v : m.group(1).split(",(?=\\s*<)")) {
					out.add(v.trim());
				}
			}
			return out;
		}

		@Override
		public void close() {
			socket.close();
		}

	}

}
