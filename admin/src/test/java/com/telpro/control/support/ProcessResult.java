package com.telpro.control.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Exit code and combined output of a bounded external command. */
public record ProcessResult(int exitCode, String output) {

	/**
	 * Runs the command with a hard time limit; a command over the limit is killed and
	 * reported as -1.
	 */
	public static ProcessResult run(List<String> command, Duration limit) {
		return run(command, limit, null);
	}

	public static ProcessResult run(List<String> command, Duration limit, Path workDir) {
		Path out = null;
		try {
			out = Files.createTempFile("telpro-cmd-", ".out");
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
			if (workDir != null) {
				builder.directory(workDir.toFile());
			}
			Process process = builder.start();
			boolean done = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
			if (!done) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				process.waitFor(5, TimeUnit.SECONDS);
			}
			String output = Files.readString(out, StandardCharsets.UTF_8);
			return new ProcessResult(done ? process.exitValue() : -1, output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			if (out != null) {
				out.toFile().delete();
			}
		}
	}

}
