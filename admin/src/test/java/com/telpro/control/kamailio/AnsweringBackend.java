package com.telpro.control.kamailio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import com.telpro.control.support.Loopback;

/**
 * A UDP backend that answers every request but ACK with {@code 200 OK} (its Contact, the
 * edge's Record-Route copied, a To tag) and keeps the exact bytes of everything it
 * received. Its replies carry the product details and platform headers a backend may
 * send, so a test can check the edge does not pass them to carriers.
 */
final class AnsweringBackend implements AutoCloseable {

	/** What the backend's replies carry that carriers must not see. */
	static final String SERVER = "Server: BackendPBX/9.9";

	static final String PLATFORM_HEADER = "X-Telpro-Internal: backend-route-7";

	private final int port = Loopback.freeSipPort();

	private final DatagramSocket socket;

	private final List<byte[]> received = new CopyOnWriteArrayList<>();

	AnsweringBackend() {
		try {
			socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread thread = new Thread(this::serve, "answering-backend");
		thread.setDaemon(true);
		thread.start();
	}

	int port() {
		return port;
	}

	/** The exact bytes of each message received with this Call-ID, in arrival order. */
	List<byte[]> raw(String callId) {
		return received.stream().filter(m -> text(m).contains("Call-ID: " + callId)).toList();
	}

	/**
	 * The messages received with this Call-ID, as text (ISO-8859-1: one char per byte).
	 */
	List<String> messages(String callId) {
		return raw(callId).stream().map(AnsweringBackend::text).toList();
	}

	static String text(byte[] message) {
		return new String(message, StandardCharsets.ISO_8859_1);
	}

	/**
	 * Hangs up the call this INVITE started, from the backend's side, through the edge: a
	 * BYE along the edge's Record-Route, carrying the backend's product details and a
	 * platform header.
	 */
	void hangUp(String invite, int edgePort) {
		String head = invite.substring(0, invite.indexOf("\r\n\r\n"));
		StringBuilder bye = new StringBuilder();
		String from = header(head, "From");
		String to = header(head, "To");
		String contact = header(head, "Contact").replaceAll("^.*<([^>]+)>.*$", "$1");
		bye.append("BYE ").append(contact).append(" SIP/2.0\r\n");
		bye.append("Via: SIP/2.0/UDP 127.0.0.1:")
			.append(port)
			.append(";branch=z9hG4bKbackendbye")
			.append(Long.toHexString(System.nanoTime()))
			.append("\r\n");
		for (String line : head.split("\r\n")) {
			if (line.regionMatches(true, 0, "Record-Route:", 0, 13)) {
				bye.append("Route:").append(line.substring(13)).append("\r\n");
			}
		}
		bye.append("Max-Forwards: 70\r\n");
		bye.append("From: ").append(to).append(to.contains(";tag=") ? "" : ";tag=backend1").append("\r\n");
		bye.append("To: ").append(from).append("\r\n");
		bye.append("Call-ID: ").append(header(head, "Call-ID")).append("\r\n");
		bye.append("CSeq: 1 BYE\r\nUser-Agent: BackendPBX/9.9\r\n").append(PLATFORM_HEADER).append("\r\n");
		bye.append("Content-Length: 0\r\n\r\n");
		byte[] out = bye.toString().getBytes(StandardCharsets.ISO_8859_1);
		try {
			socket.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", edgePort)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String header(String head, String name) {
		for (String line : head.split("\r\n")) {
			if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
				return line.substring(name.length() + 1).trim();
			}
		}
		throw new IllegalArgumentException("no " + name + " in " + head);
	}

	private void serve() {
		byte[] buffer = new byte[65535];
		while (!socket.isClosed()) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				socket.receive(packet);
				byte[] message = Arrays.copyOf(buffer, packet.getLength());
				received.add(message);
				String text = text(message);
				if (!text.startsWith("SIP/2.0") && !text.startsWith("ACK ")) {
					byte[] reply = answer(text).getBytes(StandardCharsets.ISO_8859_1);
					socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
				}
			}
			catch (IOException closed) {
				return;
			}
		}
	}

	private String answer(String request) {
		StringBuilder out = new StringBuilder("SIP/2.0 200 OK\r\n");
		String head = request.substring(0, Math.max(0, request.indexOf("\r\n\r\n")));
		for (String line : head.split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon <= 0) {
				continue;
			}
			String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
			switch (name) {
				case "via", "v", "record-route", "from", "f", "call-id", "i", "cseq" -> out.append(line).append("\r\n");
				case "to", "t" -> out.append(line).append(line.contains(";tag=") ? "" : ";tag=backend1").append("\r\n");
				default -> {
				}
			}
		}
		out.append("Contact: <sip:backend@127.0.0.1:").append(port).append(">\r\n");
		out.append(SERVER).append("\r\n").append(PLATFORM_HEADER).append("\r\n");
		out.append("X-Call-ID: ").append("b".repeat(32)).append("\r\n");
		return out.append("Content-Length: 0\r\n\r\n").toString();
	}

	@Override
	public void close() {
		socket.close();
	}

}
