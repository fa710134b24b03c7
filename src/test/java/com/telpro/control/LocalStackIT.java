package com.telpro.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.telpro.control.support.Loopback;
import com.telpro.control.support.Sipp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's third command, as a newcomer runs it: {@code kamailio/local-stack.sh} starts the
 * whole edge on loopback from the packaged jar; a trunk created and synced over the API carries a
 * sipp call; stopping the script leaves no process of it behind.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LocalStackIT {

	private static final Pattern PIDS = Pattern.compile("PIDs: ([0-9 ]+)");

	private static final String PASSWORD = "local-stack-it-password";

	@Test
	void startsTheEdgeCarriesACallAndStopsEveryProcess(@TempDir Path dir) throws Exception {
		int sipPort = Loopback.freeSipPort();
		int adminPort = Loopback.freeSipPort();
		ProcessBuilder builder = new ProcessBuilder("bash", "kamailio/local-stack.sh").redirectErrorStream(true)
			.redirectOutput(dir.resolve("stack.out").toFile());
		builder.environment().putAll(java.util.Map.of("STACK_DIR", dir.resolve("run").toString(), "SIP_PORT",
				Integer.toString(sipPort), "ADMIN_PORT", Integer.toString(adminPort), "BACKEND_PORT",
				Integer.toString(Loopback.freeSipPort()), "RTPENGINE_PORT", Integer.toString(Loopback.freeSipPort()),
				"TELPRO_EMBEDDED_DATA_DIR", dir.resolve("data").toString(), "TELPRO_EMBEDDED_REDIS_PORT",
				Integer.toString(Loopback.freeSipPort()), "TELPRO_EMBEDDED_POSTGRES_PORT",
				Integer.toString(Loopback.freeSipPort()), "TELPRO_ADMIN_PASSWORD", PASSWORD));
		builder.environment().put("JSONRPC_PORT", Integer.toString(Loopback.freeSipPort()));
		Process script = builder.start();
		List<Long> pids = new ArrayList<>();
		try {
			String out = awaitOutput(dir.resolve("stack.out"), "Press Ctrl-C", script);
			Matcher m = PIDS.matcher(out);
			assertThat(m.find()).as(out).isTrue();
			for (String pid : m.group(1).trim().split(" +")) {
				pids.add(Long.parseLong(pid));
			}
			assertThat(pids).hasSizeGreaterThanOrEqualTo(4);

			String api = "http://127.0.0.1:" + adminPort;
			assertThat(post(api + "/api/trunks", """
					{"name":"local-carrier","identify_by":["source_ip"],"allowed_ips":["127.0.0.2/32"],"auth_method":"ip_only"}
					""")).isEqualTo(201);
			assertThat(post(api + "/api/sync", "")).isEqualTo(200);
			Thread.sleep(1500);

			Sipp.Result call = Sipp.uac("uac_call.xml", "127.0.0.1:" + sipPort).from("127.0.0.2").run();
			assertThat(call.passed()).as(call.output()).isTrue();
		}
		finally {
			script.destroy();
			assertThat(script.waitFor(60, TimeUnit.SECONDS)).as("the script stops on SIGTERM").isTrue();
		}
		for (long pid : pids) {
			assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process %d left behind", pid)
				.isFalse();
		}
	}

	private static int post(String url, String json) throws IOException, InterruptedException {
		String auth = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Basic " + auth)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.timeout(Duration.ofSeconds(30))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
	}

	private static String awaitOutput(Path file, String marker, Process script) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (System.nanoTime() < deadline) {
			String out = Files.exists(file) ? Files.readString(file) : "";
			if (out.contains(marker)) {
				return out;
			}
			if (!script.isAlive()) {
				throw new AssertionError("the stack script ended early:\n" + out);
			}
			Thread.sleep(250);
		}
		throw new AssertionError("the stack did not come up:\n" + Files.readString(file));
	}

}
