package com.telpro.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.telpro.control.support.Await;
import com.telpro.control.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The embedded Redis dies under the running service (kill -9, as the OOM killer would):
 * the supervisor starts it again on the same port within 10 s, a sync then succeeds
 * without a restart of the service, and health shows the restart. Only where the embedded
 * servers run (containers have no supervisor of ours).
 */
@SpringBootTest
@AutoConfigureMockMvc
@WithMockUser(username = "admin", roles = "ADMIN")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedServersSupervisionTests {

	@Autowired
	MockMvc mvc;

	@Test
	void aKilledEmbeddedRedisIsBackWithinTenSecondsAndASyncThenSucceeds() throws Exception {
		EmbeddedServers servers = TestServers.get().embedded().orElse(null);
		assumeTrue(servers != null, "the embedded servers are not in use (containers)");
		mvc.perform(post("/api/sync")).andExpect(status().isOk());
		long pid = servers.redisPid().orElseThrow();
		int port = servers.redisPort();

		ProcessHandle.of(pid).orElseThrow().destroyForcibly();
		Instant killed = Instant.now();
		Await.until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), Duration.ofSeconds(10));
		Await.until(() -> answersPing(port), Duration.ofSeconds(10),
				() -> "the embedded Redis on port " + port + " is not back");
		assertThat(Duration.between(killed, Instant.now())).isLessThanOrEqualTo(Duration.ofSeconds(10));
		assertThat(servers.redisPid()).get().isNotEqualTo(pid);

		// the service's Redis client reconnects by itself (its reconnect delay is capped
		// at 2 s)
		Await.until(() -> syncStatus() == 200, Duration.ofSeconds(10), () -> "no sync succeeded after Redis came back");
		mvc.perform(get("/actuator/health"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.components.embeddedServers.status").value("UP"))
			.andExpect(jsonPath("$.components.embeddedServers.details.redis.state").value("UP"))
			.andExpect(jsonPath("$.components.embeddedServers.details.redis.restarts").value(greaterThanOrEqualTo(1)));
	}

	private int syncStatus() {
		try {
			return mvc.perform(post("/api/sync")).andReturn().getResponse().getStatus();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean answersPing(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			socket.setSoTimeout(1000);
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int n = in.readNBytes(reply, 0, reply.length);
			return new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

}
