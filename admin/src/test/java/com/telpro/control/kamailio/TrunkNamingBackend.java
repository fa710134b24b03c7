package com.telpro.control.kamailio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.telpro.control.support.Loopback;

/**
 * A UDP backend that answers every request at once: an INVITE whose Call-ID contains
 * {@code refuse} with 486, everything else with 200. It never retransmits and ignores
 * ACKs, so one raw request is one transaction; it records each request's
 * {@code X-Telpro-Trunk}.
 */
final class TrunkNamingBackend implements AutoCloseable {

	private final int port = Loopback.freeSipPort();

	private final DatagramSocket udp;

	private final List<String> trunks = new CopyOnWriteArrayList<>();

	TrunkNamingBackend() {
		try {
			udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
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

	/** The X-Telpro-Trunk of each request received, in arrival order ("" when absent). */
	List<String> trunks() {
		return List.copyOf(trunks);
	}

	private void serve() {
		byte[] buffer = new byte[65535];
		while (!udp.isClosed()) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				udp.receive(packet);
				String request = new String(buffer, 0, packet.getLength(), StandardCharsets.ISO_8859_1);
				if (request.startsWith("SIP/2.0") || request.startsWith("ACK ")) {
					continue;
				}
				trunks.add(header(request, "X-Telpro-Trunk"));
				byte[] answer = answer(request).getBytes(StandardCharsets.ISO_8859_1);
				udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
			}
			catch (IOException closed) {
				return;
			}
		}
	}

	private String answer(String request) {
		boolean refuse = request.startsWith("INVITE ") && header(request, "Call-ID").contains("refuse");
		StringBuilder sb = new StringBuilder(refuse ? "SIP/2.0 486 Busy Here\r\n" : "SIP/2.0 200 OK\r\n");
		for (String line : request.split("\r\n")) {
			String lower = line.toLowerCase();
			if (lower.startsWith("via:") || lower.startsWith("record-route:") || lower.startsWith("from:")
					|| lower.startsWith("call-id:") || lower.startsWith("cseq:")) {
				sb.append(line).append("\r\n");
			}
			else if (lower.startsWith("to:")) {
				sb.append(line).append(line.contains(";tag=") ? "" : ";tag=backend").append("\r\n");
			}
		}
		sb.append("Contact: <sip:backend@127.0.0.1:").append(port).append(">\r\n");
		sb.append("Content-Length: 0\r\n\r\n");
		return sb.toString();
	}

	private static String header(String message, String name) {
		for (String line : message.split("\r\n")) {
			if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
				return line.substring(name.length() + 1).trim();
			}
		}
		return "";
	}

	@Override
	public void close() {
		udp.close();
	}

}
