package com.telpro.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.support.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default run as a newcomer meets it, with the packaged jar in a child JVM on its own
 * data folder: a fresh install polled from the moment it is launched never answers 401 to
 * the configured admin password; {@code kill -9} of the service leaves its embedded
 * PostgreSQL and Redis running, and the next start on the same folder stops those orphans
 * and keeps every trunk (a third start beside the running one is refused in one line); a
 * foreign program on the Redis port is reported in one line naming the setting to change.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class EmbeddedRecoveryIT {

	private static final String PASSWORD = "embedded-recovery-it-password";

	private static final Duration START_LIMIT = Duration.ofMinutes(3);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@Test
	void aServiceKilledWithSigkillStartsAgainOnItsDataFolderAndKeepsEveryTrunk(@TempDir Path dir) throws Exception {
		Map<String, String> env = settings(dir.resolve("data"), Loopback.freeSipPort(), Loopback.freeSipPort(),
				Loopback.freeSipPort());
		String api = "http://127.0.0.1:" + env.get("SERVER_PORT");
		List<Long> orphans = new ArrayList<>();
		Process second = null;
		try {
			Process first = start(env, dir.resolve("first.out"));
			Map<Integer, Integer> statuses = pollUntilReady(api, first, dir.resolve("first.out"));
			assertThat(statuses).as("answers from the moment the port opened, fresh install").doesNotContainKey(401);
			for (String name : List.of("carrier-a", "carrier-b", "carrier-c")) {
				assertThat(post(api + "/api/trunks",
						"""
								{"name":"%s","identify_by":["source_ip"],"allowed_ips":["192.0.2.%d/32"],"auth_method":"ip_only"}
								"""
							.formatted(name, 10 + orphans.size() + name.charAt(8))))
					.isEqualTo(201);
			}
			orphans.add(pid(dir.resolve("data/redis/redis.pid")));
			orphans.add(pid(dir.resolve("data/postgres/postmaster.pid")));

			first.destroyForcibly(); // kill -9: no shutdown hook runs
			assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(orphans).as("kill -9 leaves the embedded servers running")
				.allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true));

			second = start(env, dir.resolve("second.out"));
			statuses = pollUntilReady(api, second, dir.resolve("second.out"));
			assertThat(statuses).doesNotContainKey(401);
			JsonNode trunks = new ObjectMapper().readTree(get(api + "/api/trunks").body());
			assertThat(trunks.findValuesAsText("name")).containsExactlyInAnyOrder("carrier-a", "carrier-b",
					"carrier-c");
			assertThat(orphans).as("the orphans of the crashed run are stopped")
				.allSatisfy(
						pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse());
			assertThat(Files.readString(dir.resolve("second.out"))).contains("left running by an earlier run");

			// a second service on the folder a running one uses is refused before it
			// touches anything
			Process third = start(env, dir.resolve("third.out"));
			assertThat(third.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			assertThat(Files.readString(dir.resolve("third.out")))
				.contains("is in use by another running Telpro service (pid " + second.pid() + ")")
				.contains("set TELPRO_EMBEDDED_DATA_DIR")
				.doesNotContain("\tat ");
			assertThat(get(api + "/api/trunks").statusCode()).as("the running service is untouched").isEqualTo(200);
		}
		finally {
			if (second != null) {
				second.destroy();
				second.waitFor(60, TimeUnit.SECONDS);
			}
			// whatever a failed run left behind, by PID
			orphans.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
			Stream.of("data/redis/redis.pid", "data/postgres/postmaster.pid")
				.map(dir::resolve)
				.map(EmbeddedRecoveryIT::pidIfPresent)
				.flatMap(Optional::stream)
				.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
		}
	}

	@Test
	void aForeignListenerOnTheRedisPortIsReportedInOneLine(@TempDir Path dir) throws Exception {
		try (ServerSocket foreign = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			int port = foreign.getLocalPort();
			Map<String, String> env = settings(dir.resolve("data"), Loopback.freeSipPort(), Loopback.freeSipPort(),
					port);
			Process service = start(env, dir.resolve("service.out"));
			assertThat(service.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the start gives up").isTrue();
			String out = Files.readString(dir.resolve("service.out"));
			assertThat(service.exitValue()).as(out).isNotZero();
			assertThat(out).contains("Port " + port + " for the embedded Redis is in use by another program on "
					+ "127.0.0.1: stop it, or set TELPRO_EMBEDDED_REDIS_PORT to a free port (0 picks one).");
			assertThat(out).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
			assertThat(out.lines().filter(line -> !line.isBlank()).count()).as(out).isLessThanOrEqualTo(8);
		}
	}

	private static Map<String, String> settings(Path data, int httpPort, int postgresPort, int redisPort) {
		Map<String, String> env = new TreeMap<>();
		env.put("TELPRO_EMBEDDED_DATA_DIR", data.toString());
		env.put("SERVER_PORT", Integer.toString(httpPort));
		env.put("TELPRO_EMBEDDED_POSTGRES_PORT", Integer.toString(postgresPort));
		env.put("TELPRO_EMBEDDED_REDIS_PORT", Integer.toString(redisPort));
		env.put("TELPRO_ADMIN_PASSWORD", PASSWORD);
		return env;
	}

	private static Process start(Map<String, String> env, Path out) throws IOException {
		Path jar;
		try (Stream<Path> files = Files.list(Path.of(System.getProperty("telpro.build.directory", "target")))) {
			jar = files.filter(p -> p.getFileName().toString().matches("trunk-control-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no packaged jar in target/: run through mvn verify"));
		}
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx512m", "-jar", jar.toString())
			.redirectErrorStream(true)
			.redirectOutput(out.toFile());
		builder.environment().putAll(env);
		return builder.start();
	}

	/**
	 * Polls {@code GET /api/trunks} with the admin password from launch until it answers
	 * 200; counts every status seen (connection refused counts nothing). Every early
	 * answer must be 503 with Retry-After.
	 */
	private Map<Integer, Integer> pollUntilReady(String api, Process service, Path out) throws Exception {
		Map<Integer, Integer> statuses = new TreeMap<>();
		long deadline = System.nanoTime() + START_LIMIT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!service.isAlive()) {
				throw new AssertionError("the service ended:\n" + Files.readString(out));
			}
			try {
				HttpResponse<String> response = get(api + "/api/trunks");
				statuses.merge(response.statusCode(), 1, Integer::sum);
				if (response.statusCode() == 200) {
					System.out.println("answers from launch to ready: " + statuses); // the
																						// report
																						// shows
																						// the
																						// 503s
																						// seen
					return statuses;
				}
				if (response.statusCode() == 503) {
					assertThat(response.headers().firstValue("Retry-After")).isPresent();
				}
			}
			catch (IOException refused) {
				// the port is not open yet
			}
			Thread.sleep(20);
		}
		throw new AssertionError(
				"not ready within " + START_LIMIT + "; statuses " + statuses + "\n" + Files.readString(out));
	}

	private HttpResponse<String> get(String url) throws IOException, InterruptedException {
		return http.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private int post(String url, String json) throws IOException, InterruptedException {
		return http
			.send(request(url).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(json))
				.build(), HttpResponse.BodyHandlers.ofString())
			.statusCode();
	}

	private static HttpRequest.Builder request(String url) {
		String auth = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
		return HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Basic " + auth)
			.timeout(Duration.ofSeconds(30));
	}

	private static long pid(Path pidFile) {
		return pidIfPresent(pidFile).orElseThrow(() -> new AssertionError("no pid in " + pidFile));
	}

	private static Optional<Long> pidIfPresent(Path pidFile) {
		try {
			return Files.exists(pidFile) ? Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()))
					: Optional.empty();
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

}
