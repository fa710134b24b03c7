package com.telpro.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.telpro.control.support.ProcessResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose stack validates with whichever Compose this machine has; no engine is
 * needed.
 */
class ComposeFileTests {

	@Test
	void composeFileIsValidAndRunsTheFiveServices(@TempDir Path dir) throws Exception {
		List<String> compose = composeCommand();
		assumeTrue(compose != null, "no Docker Compose client on this machine");
		Path env = dir.resolve(".env");
		Files.writeString(env,
				"POSTGRES_PASSWORD=x\nKAMAILIO_DB_PASSWORD=x\nTELPRO_SECRETS_KEY=x\nRTP_PUBLIC_ADDR=192.0.2.1\n");

		ProcessResult valid = run(compose, "--env-file", env.toString(), "config", "-q");
		assertThat(valid.exitCode()).as(valid.output()).isZero();

		ProcessResult services = run(compose, "--env-file", env.toString(), "config", "--services");
		assertThat(services.output().lines().map(String::strip).toList()).contains("postgres", "redis", "admin",
				"telpro", "rtpengine");
	}

	@Test
	void theMonitoringProfileAddsPrometheusAndGrafana(@TempDir Path dir) throws Exception {
		List<String> compose = composeCommand();
		assumeTrue(compose != null, "no Docker Compose client on this machine");
		Path env = dir.resolve(".env");
		Files.writeString(env,
				"POSTGRES_PASSWORD=x\nKAMAILIO_DB_PASSWORD=x\nTELPRO_SECRETS_KEY=x\nRTP_PUBLIC_ADDR=192.0.2.1\n");

		ProcessResult valid = run(compose, "--env-file", env.toString(), "--profile", "monitoring", "config", "-q");
		assertThat(valid.exitCode()).as(valid.output()).isZero();
		ProcessResult services = run(compose, "--env-file", env.toString(), "--profile", "monitoring", "config",
				"--services");
		assertThat(services.output().lines().map(String::strip).toList()).contains("prometheus", "grafana", "telpro");
	}

	@Test
	void composeRefusesToStartWithoutTheSecretsFromDotEnv() {
		List<String> compose = composeCommand();
		assumeTrue(compose != null, "no Docker Compose client on this machine");
		ProcessResult missing = run(compose, "--env-file", "/dev/null", "config", "-q");
		assertThat(missing.exitCode()).as("no default password may stand in for .env").isNotZero();
		assertThat(Path.of(".env")).as(".env is never committed").doesNotExist();
	}

	/** The Compose v2 plugin where it exists, else Debian's docker-compose. */
	private static List<String> composeCommand() {
		for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
			List<String> version = new ArrayList<>(candidate);
			version.add("version");
			try {
				if (ProcessResult.run(version, Duration.ofSeconds(20)).exitCode() == 0) {
					return candidate;
				}
			}
			catch (UncheckedIOException notInstalled) {
				// try the next one
			}
		}
		return null;
	}

	private static ProcessResult run(List<String> compose, String... args) {
		List<String> command = new ArrayList<>(compose);
		command.addAll(List.of("-f", "docker-compose.yaml"));
		command.addAll(List.of(args));
		return ProcessResult.run(command, Duration.ofSeconds(60));
	}

}
