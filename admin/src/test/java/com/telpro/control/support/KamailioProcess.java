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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The project's {@code kamailio/kamailio.cfg} running as a normal user process on
 * loopback ports, configured only through {@code -A} defines, the way compose and the
 * tests run it. Ready means it answered an OPTIONS (with any status); stop ends it by the
 * PID from its pid file.
 */
public final class KamailioProcess implements AutoCloseable {

	public static final Path PROJECT = Path.of("").toAbsolutePath();

	public static final Path CONFIG = PROJECT.resolve("kamailio/kamailio.cfg");

	public static final Path SCRIPT = PROJECT.resolve("kamailio/js/main.js");

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

	private final Path runDir;

	private final int port;

	private final Process process;

	private KamailioProcess(Path runDir, int port, Process process) {
		this.runDir = runDir;
		this.port = port;
		this.process = process;
	}

	/** Settings of one instance; everything else keeps the config's defaults. */
	public record Settings(int port, int redisPort, int backendPort, String nodeName, boolean ipv6,
			List<String> defines) {

		public static Settings of(int redisPort, int backendPort, String nodeName) {
			return new Settings(Loopback.freeSipPort(), redisPort, backendPort, nodeName, true, List.of());
		}

		public Settings withDefines(String... extra) {
			return new Settings(port, redisPort, backendPort, nodeName, ipv6, List.of(extra));
		}

	}

	public static KamailioProcess start(Settings settings) {
		try {
			Path runDir = Files.createTempDirectory("telpro-kamailio-");
			// TLSF for shared and private memory, as the compose image and local-stack.sh
			// run it
			List<String> command = new ArrayList<>(
					List.of("kamailio", "-f", CONFIG.toString(), "-DD", "-E", "-m", "64", "-M", "8", "-x", "tlsf", "-X",
							"tlsf", "-Y", runDir.toString(), "-P", runDir.resolve("kamailio.pid").toString()));
			command.addAll(defines(settings, runDir));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(runDir.resolve("kamailio.log").toFile())
				.start();
			KamailioProcess kamailio = new KamailioProcess(runDir, settings.port(), process);
			kamailio.awaitReady();
			return kamailio;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<String> defines(Settings s, Path runDir) {
		List<String> d = new ArrayList<>();
		define(d, "JS_MAIN=\"" + SCRIPT + "\"");
		define(d, "CTL_SOCKET=\"unix:" + runDir.resolve("kamailio_ctl") + "\"");
		define(d, "LISTEN_ADDR=127.0.0.1:" + s.port());
		if (s.ipv6()) {
			define(d, "LISTEN_ADDR6=[::1]:" + s.port());
		}
		// a REDIS_SERVER among the extra defines (e.g. Sentinel) replaces the plain one
		if (s.defines().stream().noneMatch(extra -> extra.startsWith("REDIS_SERVER="))) {
			define(d, "REDIS_SERVER=\"name=telpro;addr=127.0.0.1;port=" + s.redisPort() + "\"");
		}
		define(d, "BACKEND_URI=\"sip:127.0.0.1:" + s.backendPort() + "\"");
		define(d, "NODE_NAME=\"" + s.nodeName() + "\"");
		define(d, "SIP_WORKERS=2");
		s.defines().forEach(extra -> define(d, extra));
		return d;
	}

	private static void define(List<String> args, String value) {
		args.add("-A");
		args.add(value);
	}

	/**
	 * {@code kamailio -c} on the project's config with the given extra defines: exit code
	 * and output.
	 */
	public static ProcessResult checkConfig(String... extraDefines) {
		List<String> command = new ArrayList<>(
				List.of("kamailio", "-c", "-f", CONFIG.toString(), "-A", "JS_MAIN=\"" + SCRIPT + "\""));
		for (String extra : extraDefines) {
			define(command, extra);
		}
		return ProcessResult.run(command, Duration.ofSeconds(20));
	}

	public int port() {
		return port;
	}

	public String address() {
		return "127.0.0.1:" + port;
	}

	/** The ctl socket for kamcmd ({@code unix:<run dir>/kamailio_ctl}). */
	public String ctlSocket() {
		return "unix:" + runDir.resolve("kamailio_ctl");
	}

	public long pid() {
		try {
			return Long.parseLong(Files.readString(runDir.resolve("kamailio.pid")).trim());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Waits until this proxy logs that it loaded the generation; the spec allows a
	 * second, we allow a few.
	 */
	public void awaitGeneration(long generation) {
		Await.until(() -> log().contains("generation " + generation + " loaded"), Duration.ofSeconds(8), this::log);
	}

	public String log() {
		try {
			return Files.readString(runDir.resolve("kamailio.log"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One OPTIONS to the proxy over UDP; the status code, or -1 without an answer in
	 * time.
	 */
	public int options(Duration timeout) {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
			socket.setSoTimeout((int) timeout.toMillis());
			String tag = UUID.randomUUID().toString().replace("-", "");
			String request = "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n" + "Via: SIP/2.0/UDP 127.0.0.1:"
					+ socket.getLocalPort() + ";branch=z9hG4bK" + tag + "\r\n" + "Max-Forwards: 70\r\n"
					+ "From: <sip:probe@127.0.0.1>;tag=" + tag + "\r\n" + "To: <sip:127.0.0.1:" + port + ">\r\n"
					+ "Call-ID: " + tag + "@127.0.0.1\r\n" + "CSeq: 1 OPTIONS\r\n" + "Content-Length: 0\r\n\r\n";
			byte[] out = request.getBytes(StandardCharsets.US_ASCII);
			socket.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", port)));
			byte[] in = new byte[4096];
			DatagramPacket answer = new DatagramPacket(in, in.length);
			socket.receive(answer);
			String status = new String(in, 0, answer.getLength(), StandardCharsets.US_ASCII);
			return Integer.parseInt(status.substring(8, 11));
		}
		catch (SocketTimeoutException ex) {
			return -1;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitReady() {
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("Kamailio exited with " + process.exitValue() + ":\n" + tail());
			}
			// any answer: with WITH_OPTIONS_TRUNK_CHECK an OPTIONS is 503 until trunks
			// are loaded
			if (Files.exists(runDir.resolve("kamailio.pid")) && options(Duration.ofMillis(200)) > 0) {
				return;
			}
		}
		close();
		throw new IllegalStateException("Kamailio did not answer OPTIONS within " + READY_TIMEOUT + ":\n" + tail());
	}

	private String tail() {
		String log = log();
		return log.substring(Math.max(0, log.length() - 4000));
	}

	@Override
	public void close() {
		ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroy);
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				process.waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
