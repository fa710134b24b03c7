package com.telpro.control.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw SIP bytes to the edge over UDP or TCP from a chosen loopback source, exactly as
 * given (malformed messages included), and the first final answer back. {@code ${local}}
 * in a message is replaced with the source address:port, {@code ${transport}} with
 * UDP/TCP, {@code ${branch}}, {@code ${tag}} and {@code ${callid}} with fresh values per
 * send, so the same text can be sent many times.
 */
public final class RawSip {

	private static final Pattern STATUS_LINE = Pattern.compile("(?m)^SIP/2\\.0 (\\d{3}) ([^\\r\\n]*)");

	private RawSip() {
	}

	/**
	 * The first final answer: status code and full text, or status -1 when none came in
	 * time.
	 */
	public record Answer(int status, String reason, String text) {

		public static final Answer NONE = new Answer(-1, "", "");

		public boolean none() {
			return status < 0;
		}

		@Override
		public String toString() {
			return none() ? "no answer" : status + " " + reason;
		}

	}

	public enum Transport {

		UDP, TCP

	}

	public static Answer send(Transport transport, String sourceIp, int port, byte[] message, Duration wait) {
		return transport == Transport.UDP ? udp(sourceIp, port, message, wait) : tcp(sourceIp, port, message, wait);
	}

	public static Answer udp(String sourceIp, int port, byte[] message, Duration wait) {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(sourceIp, 0))) {
			byte[] out = fill(message, sourceIp + ":" + socket.getLocalPort(), "UDP");
			socket.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", port)));
			long deadline = System.nanoTime() + wait.toNanos();
			byte[] in = new byte[65535];
			while (true) {
				long left = (deadline - System.nanoTime()) / 1_000_000;
				if (left <= 0) {
					return Answer.NONE;
				}
				socket.setSoTimeout((int) left);
				DatagramPacket packet = new DatagramPacket(in, in.length);
				try {
					socket.receive(packet);
				}
				catch (SocketTimeoutException ex) {
					return Answer.NONE;
				}
				Answer a = finalAnswer(new String(in, 0, packet.getLength(), StandardCharsets.ISO_8859_1));
				if (a != null) {
					return a;
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static Answer tcp(String sourceIp, int port, byte[] message, Duration wait) {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(sourceIp, 0));
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			byte[] out = fill(message, sourceIp + ":" + socket.getLocalPort(), "TCP");
			OutputStream os = socket.getOutputStream();
			os.write(out);
			os.flush();
			InputStream is = socket.getInputStream();
			ByteArrayOutputStream got = new ByteArrayOutputStream();
			long deadline = System.nanoTime() + wait.toNanos();
			byte[] buffer = new byte[8192];
			while (true) {
				long left = (deadline - System.nanoTime()) / 1_000_000;
				if (left <= 0) {
					return Answer.NONE;
				}
				socket.setSoTimeout((int) left);
				int n;
				try {
					n = is.read(buffer);
				}
				catch (SocketTimeoutException ex) {
					return Answer.NONE;
				}
				catch (IOException reset) {
					return Answer.NONE; // the edge closed the connection
				}
				if (n < 0) {
					return Answer.NONE;
				}
				got.write(buffer, 0, n);
				Answer a = finalAnswer(got.toString(StandardCharsets.ISO_8859_1));
				if (a != null) {
					return a;
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The first status line with a code >= 200 in the text received so far, or null. */
	private static Answer finalAnswer(String text) {
		Matcher m = STATUS_LINE.matcher(text);
		while (m.find()) {
			int code = Integer.parseInt(m.group(1));
			if (code >= 200) {
				return new Answer(code, m.group(2).trim(), text);
			}
		}
		return null;
	}

	/**
	 * Placeholders replaced byte-wise, so NUL and other raw bytes in the message survive.
	 */
	static byte[] fill(byte[] message, String local, String transport) {
		String id = UUID.randomUUID().toString().replace("-", "");
		String text = new String(message, StandardCharsets.ISO_8859_1).replace("${local}", local)
			.replace("${transport}", transport)
			.replace("${branch}", "z9hG4bK" + id)
			.replace("${tag}", id.substring(0, 12))
			.replace("${callid}", id + "@raw");
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	/**
	 * A well-formed request to the edge, for probes and as the base of crafted messages.
	 */
	public static String request(String method, String requestUri, int port, String... extraHeaders) {
		StringBuilder sb = new StringBuilder();
		sb.append(method).append(' ').append(requestUri).append(" SIP/2.0\r\n");
		sb.append("Via: SIP/2.0/${transport} ${local};rport;branch=${branch}\r\n");
		sb.append("Max-Forwards: 70\r\n");
		sb.append("From: <sip:raw@carrier.example>;tag=${tag}\r\n");
		sb.append("To: <").append(requestUri).append(">\r\n");
		sb.append("Call-ID: ${callid}\r\n");
		sb.append("CSeq: 1 ").append(method).append("\r\n");
		for (String h : extraHeaders) {
			sb.append(h).append("\r\n");
		}
		sb.append("Content-Length: 0\r\n\r\n");
		return sb.toString();
	}

	public static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

}
