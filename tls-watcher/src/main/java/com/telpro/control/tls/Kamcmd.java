package com.telpro.control.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code kamcmd -s <ctl> <command>} against the local Kamailio and reads its answer.
 */
class Kamcmd {

	private static final long TIMEOUT_SECONDS = 15;

	private static final Pattern REAL_USED = Pattern.compile("(?m)^\\s*real_used:\\s*(\\d+)");

	private final String executable;

	private final String ctlSocket;

	Kamcmd(String executable, String ctlSocket) {
		this.executable = executable;
		this.ctlSocket = ctlSocket;
	}

	/** kamcmd's exit code and its output (stdout and stderr together). */
	record Answer(int exitCode, String output) {

		/**
		 * kamcmd exits non-zero when it cannot connect, and prints "error: <code> - …"
		 * for an RPC error.
		 */
		boolean ok() {
			return exitCode == 0 && !output.stripLeading().toLowerCase(java.util.Locale.ROOT).startsWith("error");
		}

		/** The answer on one line, for a log. */
		String summary() {
			String line = output.strip().replaceAll("\\s+", " ");
			return line.length() > 300 ? line.substring(0, 300) + "…" : line;
		}

	}

	Answer run(String command) {
		Path output = null;
		try {
			output = Files.createTempFile("kamcmd-", ".out");
			Process process = new ProcessBuilder(List.of(executable, "-s", ctlSocket, command))
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
				.start();
			if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return new Answer(-1, "error: kamcmd " + command + " did not finish in " + TIMEOUT_SECONDS + " s");
			}
			return new Answer(process.exitValue(), new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			return new Answer(-1, "error: cannot run " + executable + ": " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Answer(-1, "error: interrupted");
		}
		finally {
			if (output != null) {
				output.toFile().delete();
			}
		}
	}

	/**
	 * {@code core.shmmem}'s real_used (bytes of shared memory Kamailio holds), when it
	 * answers.
	 */
	OptionalLong sharedMemoryUsed() {
		Answer answer = run("core.shmmem");
		if (!answer.ok()) {
			return OptionalLong.empty();
		}
		Matcher matcher = REAL_USED.matcher(answer.output());
		return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
	}

}
