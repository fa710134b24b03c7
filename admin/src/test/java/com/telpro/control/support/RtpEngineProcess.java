package com.telpro.control.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Debian's RTPEngine started with the project's {@code kamailio/rtpengine.conf}
 * (interfaces {@code pub} 127.0.0.1 and {@code priv} 127.0.0.20, userspace forwarding),
 * its ng control on a free loopback port, and a small ng client (bencode over UDP) to ask
 * it what it holds. Stopped by the PID of the process started here.
 */
public final class RtpEngineProcess implements AutoCloseable {

	public static final Path CONFIG = KamailioProcess.PROJECT.resolve("kamailio/rtpengine.conf");

	public static final String PUBLIC_ADDRESS = "127.0.0.1";

	public static final String PRIVATE_ADDRESS = "127.0.0.20";

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

	private final Process process;

	private final Path runDir;

	private final int ngPort;

	private RtpEngineProcess(Process process, Path runDir, int ngPort) {
		this.process = process;
		this.runDir = runDir;
		this.ngPort = ngPort;
	}

	public static RtpEngineProcess start() {
		try {
			Path runDir = Files.createTempDirectory("telpro-rtpengine-");
			int ngPort = Loopback.freeSipPort();
			Process process = new ProcessBuilder("rtpengine", "--config-file=" + CONFIG,
					"--listen-ng=127.0.0.1:" + ngPort, "--pidfile=" + runDir.resolve("rtpengine.pid"))
				.redirectErrorStream(true)
				.redirectOutput(runDir.resolve("rtpengine.log").toFile())
				.start();
			RtpEngineProcess rtpengine = new RtpEngineProcess(process, runDir, ngPort);
			rtpengine.awaitReady();
			return rtpengine;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Kamailio's {@code RTPENGINE_SOCK} define for this instance. */
	public String kamailioSocketDefine() {
		return "RTPENGINE_SOCK=\"udp:127.0.0.1:" + ngPort + "\"";
	}

	public String log() {
		try {
			return Files.readString(runDir.resolve("rtpengine.log"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The Call-IDs of the calls RTPEngine holds (ng {@code list}). */
	public List<String> calls() {
		Map<String, Object> answer = command(Map.of("command", "list", "limit", 1000L));
		List<String> calls = new ArrayList<>();
		for (Object id : (List<?>) answer.getOrDefault("calls", List.of())) {
			calls.add((String) id);
		}
		return calls;
	}

	/**
	 * ng {@code query} of one call: its tags, media, endpoints and packet counters; null
	 * when unknown.
	 */
	public Map<String, Object> query(String callId) {
		Map<String, Object> answer = command(Map.of("command", "query", "call-id", callId));
		return "ok".equals(answer.get("result")) ? answer : null;
	}

	/** One ng command and its answer dictionary. */
	public Map<String, Object> command(Map<String, Object> request) {
		String cookie = UUID.randomUUID().toString().substring(0, 8);
		byte[] out = (cookie + " " + Bencode.encode(request)).getBytes(StandardCharsets.ISO_8859_1);
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
			socket.setSoTimeout(2000);
			socket.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", ngPort)));
			byte[] in = new byte[65535];
			DatagramPacket answer = new DatagramPacket(in, in.length);
			socket.receive(answer);
			String text = new String(in, 0, answer.getLength(), StandardCharsets.ISO_8859_1);
			if (!text.startsWith(cookie + " ")) {
				throw new IllegalStateException("ng answer for another request: " + text);
			}
			@SuppressWarnings("unchecked")
			Map<String, Object> dict = (Map<String, Object>) Bencode.decode(text.substring(cookie.length() + 1));
			return dict;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private boolean pong() {
		try {
			return "pong".equals(command(Map.of("command", "ping")).get("result"));
		}
		catch (UncheckedIOException ex) {
			if (ex.getCause() instanceof SocketTimeoutException) {
				return false;
			}
			throw ex;
		}
	}

	private void awaitReady() {
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("rtpengine exited with " + process.exitValue() + ":\n" + log());
			}
			if (pong()) {
				return;
			}
		}
		close();
		throw new IllegalStateException("rtpengine did not answer ping within " + READY_TIMEOUT + ":\n" + log());
	}

	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				process.waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The bencode subset ng uses: dictionaries, lists, integers and byte strings
	 * (ISO-8859-1).
	 */
	static final class Bencode {

		private final String text;

		private int at;

		private Bencode(String text) {
			this.text = text;
		}

		static String encode(Object value) {
			if (value instanceof String s) {
				return s.length() + ":" + s;
			}
			if (value instanceof Long || value instanceof Integer) {
				return "i" + value + "e";
			}
			if (value instanceof List<?> list) {
				StringBuilder b = new StringBuilder("l");
				list.forEach(item -> b.append(encode(item)));
				return b.append('e').toString();
			}
			if (value instanceof Map<?, ?> map) {
				StringBuilder b = new StringBuilder("d");
				map.forEach((k, v) -> b.append(encode(k)).append(encode(v)));
				return b.append('e').toString();
			}
			throw new IllegalArgumentException("not bencodable: " + value);
		}

		static Object decode(String text) {
			return new Bencode(text).next();
		}

		private Object next() {
			char c = text.charAt(at);
			if (c == 'd') {
				at++;
				Map<String, Object> map = new LinkedHashMap<>();
				while (text.charAt(at) != 'e') {
					String key = (String) next();
					map.put(key, next());
				}
				at++;
				return map;
			}
			if (c == 'l') {
				at++;
				List<Object> list = new ArrayList<>();
				while (text.charAt(at) != 'e') {
					list.add(next());
				}
				at++;
				return list;
			}
			if (c == 'i') {
				int end = text.indexOf('e', at);
				long n = Long.parseLong(text.substring(at + 1, end));
				at = end + 1;
				return n;
			}
			int colon = text.indexOf(':', at);
			int length = Integer.parseInt(text.substring(at, colon));
			String s = text.substring(colon + 1, colon + 1 + length);
			at = colon + 1 + length;
			return s;
		}

	}

}
