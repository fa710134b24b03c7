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

import com.telpro.control.support.Await;
import com.telpro.control.support.Loopback;
import com.telpro.control.support.Sipp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's third command, as a newcomer runs it: {@code kamailio/local-stack.sh}
 * starts the whole edge on loopback from the packaged jar, relaying to a backend the test
 * started ({@code BACKEND_URI}: no stand-in); a trunk created and synced over the API
 * carries a sipp call from IPv4 and one from the IPv6 loopback listener to that backend;
 * the TLS watcher reports under the edge's node name and logs no ERROR for the normal
 * no-CA state; stopping the script leaves no process of it behind.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LocalStackIT {

	private static final Pattern PIDS = Pattern.compile("PIDs: ([0-9 ]+)");

	private static final String PASSWORD = "local-stack-it-password";

	@Test
	void startsTheEdgeCarriesACallAndStopsEveryProcess(@TempDir Path dir) throws Exception {
		int sipPort = Loopback.freeSipPort();
		int adminPort = Loopback.freeSipPort();
		int backendPort = Loopback.freeSipPort();
		ProcessBuilder builder = new ProcessBuilder("bash", "kamailio/local-stack.sh").redirectErrorStream(true)
			.redirectOutput(dir.resolve("stack.out").toFile());
		builder.environment()
			.putAll(java.util.Map.of("STACK_DIR", dir.resolve("run").toString(), "SIP_PORT", Integer.toString(sipPort),
					"ADMIN_PORT", Integer.toString(adminPort), "BACKEND_PORT", Integer.toString(Loopback.freeSipPort()),
					"RTPENGINE_PORT", Integer.toString(Loopback.freeSipPort()), "TELPRO_EMBEDDED_DATA_DIR",
					dir.resolve("data").toString(), "TELPRO_EMBEDDED_REDIS_PORT",
					Integer.toString(Loopback.freeSipPort()), "TELPRO_EMBEDDED_POSTGRES_PORT",
					Integer.toString(Loopback.freeSipPort()), "TELPRO_ADMIN_PASSWORD", PASSWORD));
		builder.environment().put("JSONRPC_PORT", Integer.toString(Loopback.freeSipPort()));
		builder.environment().put("BACKEND_URI", "sip:127.0.0.1:" + backendPort);
		builder.environment().put("NODE_NAME", "it-edge");
		int rtpMin = 20000 + (sipPort % 200) * 100; // a range of its own, as a second
													// stack on the host would
		builder.environment().put("RTP_PORT_MIN", Integer.toString(rtpMin));
		builder.environment().put("RTP_PORT_MAX", Integer.toString(rtpMin + 99));
		Sipp.Backend backend = Sipp.backend(backendPort);
		Process script = builder.start();
		List<Long> pids = new ArrayList<>();
		try {
			String out = awaitOutput(dir.resolve("stack.out"), "Press Ctrl-C", script);
			Matcher m = PIDS.matcher(out);
			assertThat(m.find()).as(out).isTrue();
			for (String pid : m.group(1).trim().split(" +")) {
				pids.add(Long.parseLong(pid));
			}
			assertThat(pids).as("admin, RTPEngine, Kamailio, TLS watcher: no backend stand-in").hasSize(4);
			assertThat(out).contains("sip:127.0.0.1:" + backendPort + " (yours; no stand-in started)")
				.contains("[::1]:" + sipPort)
				.contains("media ports " + rtpMin + "-" + (rtpMin + 99));

			String api = "http://127.0.0.1:" + adminPort;
			assertThat(post(api + "/api/trunks",
					"""
							{"name":"local-carrier","identify_by":["source_ip"],"allowed_ips":["127.0.0.2/32","::1/128"],"auth_method":"ip_only"}
							"""))
				.isEqualTo(201);
			assertThat(post(api + "/api/sync", "")).isEqualTo(200);
			Thread.sleep(1500);

			Sipp.Uac ipv4 = Sipp.uac("uac_call.xml", "127.0.0.1:" + sipPort).from("127.0.0.2");
			Sipp.Result call = ipv4.run();
			assertThat(call.passed()).as(call.output()).isTrue();
			assertThat(backend.call(ipv4.callId())).as("the call reached the test's backend").isNotNull();

			Sipp.Uac ipv6 = Sipp.uac("uac_call.xml", "[::1]:" + sipPort).from("::1");
			Sipp.Result call6 = ipv6.run();
			assertThat(call6.passed()).as(call6.output()).isTrue();
			assertThat(backend.call(ipv6.callId())).as("the IPv6 call reached the test's backend").isNotNull();

			// the sync published an empty CA bundle (no trunk has a CA): the normal
			// state, not an error
			Path watcherLog = dir.resolve("run/tls-watcher.log");
			Await.until(() -> read(watcherLog).contains("holds no certificate"), Duration.ofSeconds(30),
					() -> read(watcherLog));
			assertThat(read(watcherLog)).contains("node it-edge").doesNotContain("ERROR");
		}
		finally {
			backend.close();
			script.destroy();
			assertThat(script.waitFor(60, TimeUnit.SECONDS)).as("the script stops on SIGTERM").isTrue();
		}
		for (long pid : pids) {
			assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
				.as("process %d left behind", pid)
				.isFalse();
		}
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file) : "";
		}
		catch (IOException ex) {
			return ex.toString();
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
