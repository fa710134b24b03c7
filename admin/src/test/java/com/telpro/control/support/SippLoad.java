package com.telpro.control.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * sipp as a carrier under load: many calls of one scenario at a steady rate, bounded in
 * count and time, started in the background. The result counts successful and failed
 * calls and unexpected messages from sipp's final statistics.
 */
public final class SippLoad {

	private static final Pattern COUNTER = Pattern
		.compile("^\\s*(Successful call|Failed call)\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)", Pattern.MULTILINE);

	private static final Pattern STRAY = Pattern
		.compile("(\\d+) dead call msg \\(discarded\\)\\s+(\\d+) out-of-call msg");

	private static final Pattern STATUS = Pattern.compile("status=(\\d{3}) reason=([^\\r\\n]*)");

	private final String scenario;

	private final String target;

	private final Map<String, String> keys = new java.util.LinkedHashMap<>();

	private final List<String> args = new ArrayList<>();

	private String source = "127.0.0.2";

	private double rate = 10;

	private int calls = 100;

	private SippLoad(String scenario, String target) {
		this.scenario = scenario;
		this.target = target;
		key("from_user", "load");
		key("from_domain", "carrier.example");
		key("ua", "LoadUA/1.0");
		key("xh1", "X-Test-Action: 1");
		key("xh2", "X-Test-Action: 2");
	}

	public static SippLoad of(String scenario, String target) {
		return new SippLoad(scenario, target);
	}

	public SippLoad from(String sourceIp) {
		this.source = sourceIp;
		return this;
	}

	/** Calls per second and how many in all. */
	public SippLoad rate(double callsPerSecond, int total) {
		this.rate = callsPerSecond;
		this.calls = total;
		return this;
	}

	public SippLoad key(String name, String value) {
		keys.put(name, value);
		return this;
	}

	public SippLoad credentials(String user, String password) {
		args.addAll(List.of("-au", user, "-ap", password));
		return this;
	}

	public SippLoad holdFor(Duration duration) {
		args.addAll(List.of("-d", Long.toString(duration.toMillis())));
		return this;
	}

	/**
	 * Final figures of one run. {@code unexpected}: messages sipp could place in no call
	 * at all; {@code late}: retransmissions for calls sipp had already completed ("dead
	 * call" messages), which loopback timing produces and no protocol error.
	 */
	public record Result(int exitCode, long successful, long failed, long unexpected, long late,
			Map<String, Long> statuses, String output) {

		/**
		 * How many final answers with this status line ("486 Busy Here") the scenario
		 * logged.
		 */
		public long count(String status) {
			return statuses.getOrDefault(status, 0L);
		}

		@Override
		public String toString() {
			return "sipp exit " + exitCode + ": " + successful + " successful, " + failed + " failed, " + unexpected
					+ " unexpected, " + late + " late retransmissions, answers " + statuses;
		}

	}

	public CompletableFuture<Result> start() {
		return CompletableFuture.supplyAsync(this::run);
	}

	public Result run() {
		try {
			Path dir = Files.createTempDirectory("telpro-sipp-load-");
			List<String> command = new ArrayList<>(List.of("sipp", "-sf", Sipp.SCENARIOS.resolve(scenario).toString(),
					"-i", source, "-p", "0", target, "-r", Double.toString(rate), "-m", Integer.toString(calls), "-l",
					"500", "-buff_size", "4194304", "-timeout", (calls / rate + 30) + "s", "-nostdin", "-trace_screen",
					"-trace_err", "-trace_logs", "-s", "15551234", "-cid_str", "load-" + UUID.randomUUID() + "-%u"));
			if (!args.contains("-d")) {
				command.addAll(List.of("-d", "0"));
			}
			keys.forEach((k, v) -> command.addAll(List.of("-key", k, v)));
			command.addAll(args);
			ProcessResult r = ProcessResult.run(command, Duration.ofSeconds((long) (calls / rate) + 60), dir);
			StringBuilder logs = new StringBuilder(r.output());
			long successful = -1;
			long failed = -1;
			long unexpected = 0;
			long late = 0;
			Map<String, Long> statuses = new TreeMap<>();
			try (Stream<Path> files = Files.list(dir)) {
				for (Path f : files.sorted().toList()) {
					String text = Files.readString(f);
					logs.append("\n--- ")
						.append(f.getFileName())
						.append('\n')
						.append(text.length() > 4000 ? text.substring(text.length() - 4000) : text);
					if (f.getFileName().toString().endsWith("_logs.log")) {
						Matcher status = STATUS.matcher(text);
						while (status.find()) {
							statuses.merge(status.group(1) + " " + status.group(2).trim(), 1L, Long::sum);
						}
					}
					if (f.getFileName().toString().endsWith("_screen.log")) {
						Matcher m = COUNTER.matcher(text);
						while (m.find()) {
							long value = Long.parseLong(m.group(2));
							if (m.group(1).startsWith("Successful")) {
								successful = value;
							}
							else {
								failed = value;
							}
						}
						Matcher stray = STRAY.matcher(text);
						while (stray.find()) {
							late = Long.parseLong(stray.group(1));
							unexpected = Long.parseLong(stray.group(2));
						}
					}
				}
			}
			return new Result(r.exitCode(), successful, failed, unexpected, late, statuses, logs.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
