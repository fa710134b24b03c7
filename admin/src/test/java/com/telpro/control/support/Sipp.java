package com.telpro.control.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * sipp as a carrier (UAC, one call, bounded in count and time) or as the backend (UAS)
 * behind the edge. Scenarios live in {@code src/test/resources/sipp/}; see its README for
 * their keywords.
 */
public final class Sipp {

	public static final Path SCENARIOS = KamailioProcess.PROJECT.resolve("admin/src/test/resources/sipp");

	private static final Pattern STATUS = Pattern.compile("status=(\\d{3}) reason=([^\\r\\n]*)");

	private Sipp() {
	}

	public static Uac uac(String scenario, String target) {
		return new Uac(scenario, target);
	}

	public static Backend backend(int port) {
		return Backend.start(port, "uas_backend.xml");
	}

	/** Where the media backend's SDP says its media is (SIP stays on 127.0.0.1). */
	public static final String MEDIA_BACKEND_ADDRESS = "127.0.0.30";

	/**
	 * The backend for calls through RTPEngine: records the SDP of each INVITE (see
	 * {@link Backend#sdp(String)}) and echoes the RTP it receives on
	 * {@link #MEDIA_BACKEND_ADDRESS}.
	 */
	public static Backend mediaBackend(int port) {
		return Backend.start(port, "uas_backend_media.xml", "-rtp_echo", "-mi", MEDIA_BACKEND_ADDRESS);
	}

	/**
	 * A backend running another UAS scenario for exactly one call (sipp exits 0 when it
	 * passed).
	 */
	public static Backend backendForOneCall(int port, String scenario) {
		return Backend.start(port, scenario, "-m", "1", "-timeout", "15s", "-timeout_error");
	}

	/**
	 * Outcome of one UAC run: sipp's exit code (0 = the scenario passed) and the final
	 * statuses it logged.
	 */
	public record Result(int exitCode, List<String> statuses, String callId, String output) {

		public boolean passed() {
			return exitCode == 0;
		}

		/** The first line the scenario logged that starts with the prefix, or null. */
		public String logged(String prefix) {
			return output.lines().filter(line -> line.startsWith(prefix)).findFirst().orElse(null);
		}

		/**
		 * "403 Forbidden"-style status line of the last final reply, or "" when none was
		 * logged.
		 */
		public String lastStatus() {
			return statuses.isEmpty() ? "" : statuses.get(statuses.size() - 1);
		}

		@Override
		public String toString() {
			return "sipp exit " + exitCode + ", statuses " + statuses + ", Call-ID " + callId;
		}

	}

	/**
	 * One carrier call; every keyword has a harmless default so scenarios always get all
	 * of them.
	 */
	public static final class Uac {

		private final String scenario;

		private final String target;

		private final Map<String, String> keys = new LinkedHashMap<>();

		private final List<String> extra = new ArrayList<>();

		private String source = "127.0.0.2";

		private final String callId = "t-" + UUID.randomUUID();

		private Uac(String scenario, String target) {
			this.scenario = scenario;
			this.target = target;
			keys.put("from_user", "alice");
			keys.put("from_domain", "carrier.example");
			keys.put("ua", "CarrierUA/1.0");
			keys.put("xh1", "X-Test-Action: 1");
			keys.put("xh2", "X-Test-Action: 2");
			keys.put("proto", "RTP/AVP");
			keys.put("fmts", "8 0 101");
			keys.put("a1", "a=ptime:20");
		}

		/** The Call-ID the call will carry (known before it runs). */
		public String callId() {
			return callId + "-1";
		}

		public Uac from(String sourceIp) {
			this.source = sourceIp;
			return this;
		}

		public Uac fromDomain(String domain) {
			keys.put("from_domain", domain);
			return this;
		}

		public Uac userAgent(String ua) {
			keys.put("ua", ua);
			return this;
		}

		/** Extra header line, e.g. {@code "X-Call-ID: 0123…"}; at most two. */
		public Uac header(String line) {
			keys.put(keys.get("xh1").startsWith("X-Test-Action") ? "xh1" : "xh2", line);
			return this;
		}

		/**
		 * The media line of the uac_media_* scenarios: transport and payload types, e.g.
		 * "RTP/SAVP", "8 0 101".
		 */
		public Uac sdp(String proto, String payloadTypes) {
			keys.put("proto", proto);
			keys.put("fmts", payloadTypes);
			return this;
		}

		/**
		 * One extra media attribute line of the uac_media_* scenarios, e.g. an
		 * {@code a=crypto:} line.
		 */
		public Uac sdpAttribute(String line) {
			keys.put("a1", line);
			return this;
		}

		/**
		 * The c= address of the uac_media_* scenarios' SDP; defaults to the source
		 * address.
		 */
		public Uac mediaAddress(String ip) {
			keys.put("media_c", ip);
			return this;
		}

		/**
		 * Any other scenario keyword, e.g.
		 * {@code key("contact", "sip:1001@127.0.0.1:5090")}.
		 */
		public Uac key(String name, String value) {
			keys.put(name, value);
			return this;
		}

		/** The R-URI user (sipp's -s; "15551234" by default). */
		public Uac service(String user) {
			extra.addAll(List.of("-s", user));
			return this;
		}

		public Uac credentials(String user, String password) {
			extra.addAll(List.of("-au", user, "-ap", password));
			return this;
		}

		/** How long the call stays up before the BYE. */
		public Uac holdFor(Duration duration) {
			extra.addAll(List.of("-d", Long.toString(duration.toMillis())));
			return this;
		}

		public Result run() {
			try {
				Path dir = Files.createTempDirectory("telpro-sipp-");
				keys.putIfAbsent("media_c", source);
				List<String> command = new ArrayList<>(List.of("sipp", "-sf", SCENARIOS.resolve(scenario).toString(),
						"-i", source, "-p", "0", target, "-m", "1", "-timeout", "10s", "-timeout_error", "-nostdin",
						"-trace_logs", "-trace_err", "-s", "15551234", "-cid_str", callId + "-%u"));
				keys.forEach((k, v) -> command.addAll(List.of("-key", k, v)));
				if (!extra.contains("-d")) {
					command.addAll(List.of("-d", "0"));
				}
				command.addAll(extra);
				ProcessResult r = ProcessResult.run(command, Duration.ofSeconds(20), dir);
				List<String> statuses = new ArrayList<>();
				StringBuilder logs = new StringBuilder(r.output());
				try (Stream<Path> files = Files.list(dir)) {
					for (Path f : files.sorted().toList()) {
						String text = Files.readString(f);
						logs.append("\n--- ").append(f.getFileName()).append('\n').append(text);
						if (f.getFileName().toString().endsWith("_logs.log")) {
							Matcher m = STATUS.matcher(text);
							while (m.find()) {
								statuses.add(m.group(1) + " " + m.group(2).trim());
							}
						}
					}
				}
				return new Result(r.exitCode(), statuses, callId + "-1", logs.toString());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	/** The backend: answers every call and records the edge's headers per call. */
	public static final class Backend implements AutoCloseable {

		private final Process process;

		private final Path dir;

		private Backend(Process process, Path dir) {
			this.process = process;
			this.dir = dir;
		}

		static Backend start(int port, String scenario, String... extra) {
			try {
				Path dir = Files.createTempDirectory("telpro-backend-");
				List<String> command = new ArrayList<>(List.of("sipp", "-sf", SCENARIOS.resolve(scenario).toString(),
						"-i", "127.0.0.1", "-p", Integer.toString(port), "-nostdin", "-trace_err"));
				command.addAll(List.of(extra));
				Process p = new ProcessBuilder(command).directory(dir.toFile())
					.redirectErrorStream(true)
					.redirectOutput(dir.resolve("sipp.out").toFile())
					.start();
				return new Backend(p, dir);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** Lines "trunk=… ext=… callid=…", one per call the backend answered. */
		public List<String> calls() {
			Path log = dir.resolve("backend_calls.log");
			try {
				return Files.exists(log) ? Files.readAllLines(log) : List.of();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** The backend's record of one call, or null when the call never reached it. */
		public String call(String callId) {
			return calls().stream().filter(line -> line.endsWith("callid=" + callId)).findFirst().orElse(null);
		}

		/**
		 * The SDP the media backend received for one call, as one line "callid=… c=… m=…
		 * crypto=… ice=…", or null when the call never reached it.
		 */
		public String sdp(String callId) {
			return sdpLine("callid=" + callId + " ");
		}

		/**
		 * Like {@link #sdp(String)} for the ACK of a late offer: "ack callid=… c=… m=…",
		 * or null.
		 */
		public String ackSdp(String callId) {
			return sdpLine("ack callid=" + callId + " ");
		}

		/**
		 * Like {@link #sdp(String)} for the call's re-INVITE: "reinvite callid=… c=…
		 * m=…", or null.
		 */
		public String reinviteSdp(String callId) {
			return sdpLine("reinvite callid=" + callId + " ");
		}

		private String sdpLine(String prefix) {
			Path log = dir.resolve("backend_sdp.log");
			try {
				List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
				return lines.stream().filter(line -> line.startsWith(prefix)).findFirst().orElse(null);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * Waits for a one-call backend to finish: its sipp exit code, or -1 if still
		 * running.
		 */
		public int awaitExit(Duration limit) {
			try {
				return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return -1;
			}
		}

		/** sipp's error log of the backend, for assertion messages. */
		public String errors() {
			try (Stream<Path> files = Files.list(dir)) {
				StringBuilder out = new StringBuilder();
				for (Path f : files.filter(f -> f.getFileName().toString().endsWith("_errors.log")).toList()) {
					out.append(Files.readString(f));
				}
				return out.toString();
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

}
