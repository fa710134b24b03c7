package com.telpro.control.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.TelproApplication;
import com.telpro.control.support.Loopback;
import com.telpro.control.support.TestServersPostProcessor;
import com.telpro.control.support.TestUsers;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * PostgreSQL goes away under a running admin service and comes back. The service runs
 * here in a context of its own with a PostgreSQL of its own (the shared test database
 * must never stop): while the database is down the API answers 503 problem details with
 * Retry-After and the pages a 503 page, within the Hikari connection timeout; nothing
 * stored is lost, and the service works again by itself once the database is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresOutageTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final int postgresPort = Loopback.freeSipPort();

	private Path dataDir;

	private EmbeddedPostgres postgres;

	private ConfigurableApplicationContext context;

	private String base;

	@BeforeAll
	void start() throws Exception {
		dataDir = Files.createTempDirectory("telpro-pg-outage-");
		postgres = startPostgres();
		context = new SpringApplicationBuilder(TelproApplication.class).run("--server.port=0",
				"--" + TestServersPostProcessor.OWN_SERVERS + "=true",
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres",
				"--spring.datasource.username=postgres", "--spring.datasource.password=",
				"--telpro.embedded.data-dir=target/embedded-pg-outage", "--telpro.embedded.clean=true");
		base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@AfterAll
	void stop() throws Exception {
		if (context != null) {
			context.close();
		}
		if (postgres != null) {
			postgres.close();
		}
	}

	private EmbeddedPostgres startPostgres() throws Exception {
		return EmbeddedPostgres.builder()
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			.setPort(postgresPort)
			.setServerConfig("listen_addresses", "127.0.0.1")
			.start();
	}

	@Test
	void theServiceAnswers503WhileTheDatabaseIsDownKeepsEveryTrunkAndRecoversByItself() throws Exception {
		HttpResponse<String> created = send("POST", "/api/trunks", trunk("Stored before the outage", "10.30.0.13/32"));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

		postgres.close();
		postgres = null;
		try {
			long started = System.nanoTime();
			HttpResponse<String> list = send("GET", "/api/trunks", null);
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			assertThat(list.statusCode()).as(list.body()).isEqualTo(503);
			assertThat(list.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(list.headers().firstValue("Retry-After")).hasValue("5");
			JsonNode problem = JSON.readTree(list.body());
			assertThat(problem.get("status").asInt()).isEqualTo(503);
			assertThat(problem.get("title").asText()).isEqualTo("Database unavailable");
			assertThat(took).as("the request waited for the database").isLessThan(Duration.ofSeconds(10));

			HttpResponse<String> write = send("POST", "/api/trunks", trunk("Sent during the outage", "10.30.0.14/32"));
			assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
			assertThat(write.body()).doesNotContain("Exception").doesNotContain("at com.");

			HttpResponse<String> page = http.send(
					request("GET", "/admin-settings", null).header("Accept", "text/html").build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(page.statusCode()).isEqualTo(503);
			assertThat(page.headers().firstValue("Content-Type"))
				.hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
			assertThat(page.body()).contains("Database unavailable").contains("Nothing you submitted was saved");
		}
		finally {
			if (postgres == null) {
				postgres = startPostgres();
			}
		}

		HttpResponse<String> after = null;
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < deadline) {
			after = send("GET", "/api/trunks", null);
			if (after.statusCode() == 200) {
				break;
			}
			Thread.sleep(500);
		}
		assertThat(after.statusCode()).as("the service recovered by itself: " + after.body()).isEqualTo(200);
		assertThat(after.body()).contains("Stored before the outage").doesNotContain("Sent during the outage");
		HttpResponse<String> again = send("POST", "/api/trunks", trunk("Stored after the outage", "10.30.0.15/32"));
		assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
	}

	private static String trunk(String name, String cidr) {
		return """
				{"name": "%s", "identify_by": ["source_ip"], "allowed_ips": ["%s"], "auth_method": "ip_only"}"""
			.formatted(name, cidr);
	}

	private HttpResponse<String> send(String method, String path, String body) throws Exception {
		HttpRequest.Builder builder = request(method, path, body).header("Accept", "application/json");
		return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String method, String path, String body) {
		String credentials = Base64.getEncoder()
			.encodeToString((TestUsers.ADMIN + ":" + TestUsers.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
			.timeout(Duration.ofSeconds(20))
			.header("Authorization", "Basic " + credentials);
		if (body == null) {
			return builder.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return builder.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(body));
	}

}
