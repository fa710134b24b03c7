package com.telpro.control.kamailio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.telpro.control.support.Loopback;

/**
 * The application server as the call limits see it: answers every INVITE 200 OK at once
 * and every BYE 200 OK, and counts, per trunk ({@code X-Telpro-Trunk}), the dialogs it
 * holds at each instant (from the INVITE's arrival to the BYE's), the highest such count,
 * and when each new call arrived. What the limits promise is measured here, at the
 * backend, not at the edge.
 */
final class HoldingBackend implements AutoCloseable {

	private final int port = Loopback.freeSipPort();

	private final DatagramSocket socket;

	private final Map<String, String> trunkOfCall = new HashMap<>();

	private final Map<String, byte[]> answers = new HashMap<>();

	private final Map<String, Integer> holding = new HashMap<>();

	private final Map<String, Integer> highest = new HashMap<>();

	private final Map<String, List<Long>> arrivals = new HashMap<>();

	HoldingBackend() {
		try {
			socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
			socket.setReceiveBufferSize(4 * 1024 * 1024);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread reader = new Thread(this::read, "holding-backend");
		reader.setDaemon(true);
		reader.start();
	}

	int port() {
		return port;
	}

	/** Dialogs of the trunk the backend holds now. */
	synchronized int holding(String trunk) {
		return holding.getOrDefault(trunk, 0);
	}

	/**
	 * The most dialogs of the trunk the backend held at any instant since the last reset.
	 */
	synchronized int highest(String trunk) {
		return highest.getOrDefault(trunk, 0);
	}

	/** Arrival times (ms, monotonic) of the trunk's new calls since the last reset. */
	synchronized List<Long> arrivals(String trunk) {
		return List.copyOf(arrivals.getOrDefault(trunk, List.of()));
	}

	/** Forgets the highest counts and arrivals (the dialogs still held stay counted). */
	synchronized void reset() {
		highest.clear();
		holding.forEach(highest::put);
		arrivals.clear();
	}

	private void read() {
		byte[] buffer = new byte[65535];
		while (!socket.isClosed()) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				socket.receive(packet);
				handle(new SipText(new String(buffer, 0, packet.getLength(), StandardCharsets.ISO_8859_1)),
						packet.getSocketAddress());
			}
			catch (IOException closed) {
				return;
			}
		}
	}

	private void handle(SipText request, SocketAddress from) throws IOException {
		String method = request.method();
		if (method == null || method.equals("ACK")) {
			return;
		}
		String callId = request.header("Call-ID");
		byte[] answer;
		synchronized (this) {
			if (method.equals("INVITE")) {
				answer = answers.get(callId);
				if (answer == null) {
					answer = answer(request, true);
					answers.put(callId, answer);
					arrive(callId, request.header("X-Telpro-Trunk"), ((InetSocketAddress) from).getPort());
				}
			}
			else {
				answer = answer(request, false);
				if (method.equals("BYE")) {
					leave(callId);
				}
			}
		}
		socket.send(new DatagramPacket(answer, answer.length, from));
	}

	private void arrive(String callId, String trunk, int edgePort) {
		trunkOfCall.put(callId, trunk + " " + via(trunk, edgePort));
		count(trunk);
		count(via(trunk, edgePort));
		arrivals.computeIfAbsent(trunk, t -> new ArrayList<>()).add(System.nanoTime() / 1_000_000);
	}

	private void count(String key) {
		int now = holding.merge(key, 1, Integer::sum);
		highest.merge(key, now, Math::max);
	}

	private void leave(String callId) {
		String keys = trunkOfCall.remove(callId);
		if (keys != null) {
			for (String key : keys.split(" ")) {
				holding.merge(key, -1, Integer::sum);
			}
		}
	}

	/**
	 * The counting key of a trunk's dialogs relayed by the edge listening on edgePort.
	 */
	static String via(String trunk, int edgePort) {
		return trunk + "@" + edgePort;
	}

	private byte[] answer(SipText request, boolean invite) {
		StringBuilder out = new StringBuilder("SIP/2.0 200 OK\r\n");
		request.headers("Via").forEach(v -> out.append("Via: ").append(v).append("\r\n"));
		if (invite) {
			request.headers("Record-Route").forEach(r -> out.append("Record-Route: ").append(r).append("\r\n"));
		}
		out.append("From: ").append(request.header("From")).append("\r\n");
		String to = request.header("To");
		out.append("To: ")
			.append(to)
			.append(to.contains(";tag=") ? "" : ";tag=b" + Math.abs(request.header("Call-ID").hashCode()))
			.append("\r\n");
		out.append("Call-ID: ").append(request.header("Call-ID")).append("\r\n");
		out.append("CSeq: ").append(request.header("CSeq")).append("\r\n");
		if (invite) {
			out.append("Contact: <sip:backend@127.0.0.1:").append(port).append(">\r\n");
		}
		out.append("Content-Length: 0\r\n\r\n");
		return out.toString().getBytes(StandardCharsets.ISO_8859_1);
	}

	@Override
	public void close() {
		socket.close();
	}

}
