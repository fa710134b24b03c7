package com.telpro.control.kamailio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A carrier placing many calls at once from one source address over UDP: INVITE
 * (retransmitted until answered), ACK, a hold, BYE through the route set the edge
 * recorded; a refused INVITE is ACKed hop by hop. Each call completes with its final
 * status and the refusal's Reason and Retry-After headers. Calls to an edge that never
 * answers complete with status -1.
 */
final class BurstCaller implements AutoCloseable {

	/**
	 * How one call went: the INVITE's final status, when refused the refusal's headers,
	 * and the Call-ID it carried.
	 */
	record Call(int status, String reason, String retryAfter, boolean byeAnswered, String callId) {

		boolean answered() {
			return status == 200;
		}

	}

	private static final Duration GIVE_UP = Duration.ofSeconds(8);

	private final String source;

	private final DatagramSocket socket;

	private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
		Thread t = new Thread(r, "burst-caller-timer");
		t.setDaemon(true);
		return t;
	});

	private final Map<String, Pending> pending = new ConcurrentHashMap<>();

	BurstCaller(String sourceIp) {
		this.source = sourceIp;
		try {
			socket = new DatagramSocket(new InetSocketAddress(sourceIp, 0));
			socket.setReceiveBufferSize(4 * 1024 * 1024);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread reader = new Thread(this::read, "burst-caller");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Places one call to the edge on 127.0.0.1:edgePort that hangs up after hold when
	 * answered.
	 */
	CompletableFuture<Call> call(int edgePort, Duration hold) {
		return call(edgePort, hold, "");
	}

	/** The same with extra header lines (each ending in CRLF) in the INVITE. */
	CompletableFuture<Call> call(int edgePort, Duration hold, String extraHeaders) {
		Pending p = new Pending(edgePort, hold, extraHeaders);
		pending.put(p.callId, p);
		p.sendInvite(0);
		timers.schedule(() -> {
			if (!p.gotFinal) {
				p.complete(new Call(-1, null, null, false, p.callId));
			}
		}, GIVE_UP.toMillis(), TimeUnit.MILLISECONDS);
		return p.result;
	}

	/**
	 * Places calls to the edges in turn by weight, all at once; the answers in the order
	 * placed.
	 */
	List<CompletableFuture<Call>> burst(int calls, Duration hold, int[] edgePorts, int[] weights) {
		List<Integer> order = new ArrayList<>();
		int total = 0;
		for (int w : weights) {
			total += w;
		}
		for (int i = 0; i < calls; i++) {
			int slot = (int) ((long) i * total / calls) % total;
			int edge = 0;
			for (int acc = weights[0]; slot >= acc; acc += weights[++edge]) {
				// find the edge whose weight band holds this slot
			}
			order.add(edgePorts[edge]);
		}
		Collections.shuffle(order, new java.util.Random(calls));
		List<CompletableFuture<Call>> results = new ArrayList<>();
		for (int port : order) {
			results.add(call(port, hold));
		}
		return results;
	}

	private void read() {
		byte[] buffer = new byte[65535];
		while (!socket.isClosed()) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				socket.receive(packet);
			}
			catch (IOException closed) {
				return;
			}
			SipText message = new SipText(new String(buffer, 0, packet.getLength(), StandardCharsets.ISO_8859_1));
			Pending p = pending.get(message.header("Call-ID"));
			if (p != null && message.status() > 0) {
				p.onResponse(message);
			}
		}
	}

	private void send(String text, int port) {
		byte[] out = text.getBytes(StandardCharsets.ISO_8859_1);
		try {
			socket.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", port)));
		}
		catch (IOException ex) {
			// the edge's socket is gone (killed): the call ends without answer
		}
	}

	private static String token() {
		return UUID.randomUUID().toString().replace("-", "");
	}

	private final class Pending {

		final String callId = token() + "@" + source;

		final String fromTag = token().substring(0, 12);

		final String branch = "z9hG4bK" + token();

		final int edgePort;

		final Duration hold;

		final String extraHeaders;

		final CompletableFuture<Call> result = new CompletableFuture<>();

		volatile boolean gotResponse;

		volatile boolean gotFinal;

		volatile Call inviteOutcome;

		volatile ScheduledFuture<?> byeRetransmit;

		Pending(int edgePort, Duration hold, String extraHeaders) {
			this.edgePort = edgePort;
			this.hold = hold;
			this.extraHeaders = extraHeaders;
		}

		String ruri() {
			return "sip:15551234@127.0.0.1:" + edgePort;
		}

		String via(String viaBranch) {
			return "Via: SIP/2.0/UDP " + source + ":" + socket.getLocalPort() + ";branch=" + viaBranch + "\r\n";
		}

		void sendInvite(int attempt) {
			if (gotResponse || result.isDone()) {
				return;
			}
			String sdp = "v=0\r\no=carrier 1 1 IN IP4 " + source + "\r\ns=-\r\nc=IN IP4 " + source
					+ "\r\nt=0 0\r\nm=audio 40000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
			send("INVITE " + ruri() + " SIP/2.0\r\n" + via(branch) + "Max-Forwards: 70\r\n" + "From: <sip:carrier@"
					+ source + ">;tag=" + fromTag + "\r\n" + "To: <" + ruri() + ">\r\n" + "Call-ID: " + callId + "\r\n"
					+ "CSeq: 1 INVITE\r\n" + "Contact: <sip:carrier@" + source + ":" + socket.getLocalPort() + ">\r\n"
					+ extraHeaders + "Content-Type: application/sdp\r\n" + "Content-Length: " + sdp.length()
					+ "\r\n\r\n" + sdp, edgePort);
			long delay = Math.min(4000, 500L << attempt);
			timers.schedule(() -> sendInvite(attempt + 1), delay, TimeUnit.MILLISECONDS);
		}

		synchronized void onResponse(SipText response) {
			String cseq = response.header("CSeq");
			gotResponse = true;
			if (cseq.endsWith("BYE")) {
				if (response.status() >= 200) {
					if (byeRetransmit != null) {
						byeRetransmit.cancel(false);
					}
					complete(new Call(200, null, null, true, callId));
				}
				return;
			}
			int status = response.status();
			if (status < 200) {
				return;
			}
			String to = response.header("To");
			if (status >= 300) {
				// hop-by-hop ACK of a refusal, on the INVITE's branch; absorbs tm's
				// retransmissions
				send("ACK " + ruri() + " SIP/2.0\r\n" + via(branch) + "Max-Forwards: 70\r\n" + "From: <sip:carrier@"
						+ source + ">;tag=" + fromTag + "\r\n" + "To: " + to + "\r\n" + "Call-ID: " + callId + "\r\n"
						+ "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n", edgePort);
				if (!gotFinal) {
					gotFinal = true;
					complete(
							new Call(status, response.header("Reason"), response.header("Retry-After"), false, callId));
				}
				return;
			}
			List<String> routes = new ArrayList<>(response.headers("Record-Route"));
			Collections.reverse(routes);
			String contact = response.header("Contact").replaceAll("^.*<([^>]*)>.*$", "$1");
			StringBuilder routeSet = new StringBuilder();
			routes.forEach(r -> routeSet.append("Route: ").append(r).append("\r\n"));
			String common = "Max-Forwards: 70\r\n" + routeSet + "From: <sip:carrier@" + source + ">;tag=" + fromTag
					+ "\r\n" + "To: " + to + "\r\n" + "Call-ID: " + callId + "\r\n";
			send("ACK " + contact + " SIP/2.0\r\n" + via("z9hG4bK" + token()) + common
					+ "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n", edgePort);
			if (gotFinal) {
				return;
			}
			gotFinal = true;
			String bye = "BYE " + contact + " SIP/2.0\r\n" + via("z9hG4bK" + token()) + common
					+ "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
			timers.schedule(() -> sendBye(bye, 0), hold.toMillis(), TimeUnit.MILLISECONDS);
		}

		void sendBye(String bye, int attempt) {
			if (result.isDone()) {
				return;
			}
			if (attempt > 6) {
				complete(new Call(200, null, null, false, callId));
				return;
			}
			send(bye, edgePort);
			byeRetransmit = timers.schedule(() -> sendBye(bye, attempt + 1), 500, TimeUnit.MILLISECONDS);
		}

		void complete(Call call) {
			if (result.complete(call)) {
				pending.remove(callId);
			}
		}

	}

	@Override
	public void close() {
		timers.shutdownNow();
		socket.close();
	}

}
