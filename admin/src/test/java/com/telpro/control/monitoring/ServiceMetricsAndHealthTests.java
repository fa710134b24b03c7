package com.telpro.control.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.support.AdminApi;
import com.telpro.control.support.Await;
import com.telpro.control.support.TestServers;
import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The admin service's Prometheus endpoint (Micrometer), its edge health group, and the
 * deploy files: the Grafana dashboard's every query names a metric the edge or the
 * service exports.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// tests export no metrics unless asked: this one checks the Prometheus registry itself
@AutoConfigureObservability(tracing = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceMetricsAndHealthTests {

	private static final Path DASHBOARD = Path.of("deploy/monitoring/grafana/dashboards/telpro.json");

	private static final Pattern SAMPLE_NAME = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)", Pattern.MULTILINE);

	private static final Pattern EDGE_DECLARATION = Pattern
		.compile("modparam\\(\"xhttp_prom\", \"prom_(?:counter|gauge)\", \"name=([a-z_]+);");

	private static final Pattern METRIC_IN_QUERY = Pattern.compile("\\b((?:telpro|http_server)_[a-zA-Z0-9_]+)");

	@Autowired
	TestRestTemplate http;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	StringRedisTemplate redis;

	private String token;

	@BeforeAll
	void token() {
		new TestUsers(jdbc).ensure();
		token = new AdminApi(http).post("/api/tokens", Map.of("name", "prometheus"), HttpStatus.CREATED)
			.get("token")
			.asText();
		redis.delete(redis.keys("telpro:v1:proxy:*"));
	}

	private String scrape() {
		ResponseEntity<String> r = http.exchange("/actuator/prometheus", HttpMethod.GET,
				new HttpEntity<>(TestUsers.bearer(token)), String.class);
		assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
		return r.getBody();
	}

	private static double value(String text, String series) {
		for (String line : text.split("\n")) {
			if (line.startsWith(series + " ")) {
				return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
			}
		}
		return Double.NaN;
	}

	@Test
	@Order(1)
	void theMetricsNeedAToken() {
		assertThat(http.getForEntity("/actuator/prometheus", String.class).getStatusCode())
			.isEqualTo(HttpStatus.UNAUTHORIZED);
	}

	@Test
	@Order(2)
	void syncsAndXCallsAreCounted() {
		String before = scrape();
		assertThat(before).contains("telpro_sync_duration_seconds_count", "telpro_sync_failures_total",
				"telpro_xcalls_issued_total", "telpro_records_ingest_lag_seconds");
		AdminApi api = new AdminApi(http);
		api.sync();
		api.sync();
		api.post("/api/x-calls", Map.of(), HttpStatus.CREATED);
		String after = scrape();
		assertThat(value(after, "telpro_sync_duration_seconds_count")
				- value(before, "telpro_sync_duration_seconds_count"))
			.isEqualTo(2.0);
		assertThat(value(after, "telpro_xcalls_issued_total") - value(before, "telpro_xcalls_issued_total"))
			.isEqualTo(1.0);
	}

	private ResponseEntity<JsonNode> edgesHealth() {
		return http.exchange("/actuator/health/edges", HttpMethod.GET, new HttpEntity<>(TestUsers.adminHeaders()),
				JsonNode.class);
	}

	private void heartbeat(String node, Instant seenAt) {
		redis.opsForValue()
			.set("telpro:v1:proxy:" + node, "{\"node\":\"" + node + "\",\"generation\":1,\"loaded_at\":\"" + seenAt
					+ "\",\"trunks\":0,\"refused\":[],\"seen_at\":\"" + seenAt + "\"}", Duration.ofSeconds(60));
	}

	@Test
	@Order(3)
	void theEdgesGroupIsOutOfServiceWithoutAFreshHeartbeatWhileTheRootStaysUp() {
		assertThat(edgesHealth().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(edgesHealth().getBody().get("status").asText()).isEqualTo("OUT_OF_SERVICE");
		assertThat(http.getForEntity("/actuator/health", JsonNode.class).getBody().get("status").asText())
			.isEqualTo("UP");

		heartbeat("edge-health", Instant.now());
		assertThat(edgesHealth().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(edgesHealth().getBody().get("status").asText()).isEqualTo("UP");
		// the service's gauge of that edge's heartbeat age
		Await.until(() -> scrape().contains("telpro_edge_heartbeat_age_seconds{node=\"edge-health\"}"),
				Duration.ofSeconds(15));

		heartbeat("edge-health", Instant.now().minusSeconds(60));
		assertThat(edgesHealth().getBody().get("status").asText()).isEqualTo("OUT_OF_SERVICE");
		redis.delete("telpro:v1:proxy:edge-health");
	}

	@Test
	@Order(4)
	void theDashboardIsGrafanaShapedAndQueriesOnlyExportedMetrics() throws IOException {
		JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
		assertThat(dashboard.path("uid").asText()).isNotBlank();
		assertThat(dashboard.path("title").asText()).isNotBlank();
		assertThat(dashboard.path("schemaVersion").isInt()).isTrue();
		assertThat(dashboard.path("panels").isArray()).isTrue();

		Set<String> exported = new HashSet<>();
		Matcher edge = EDGE_DECLARATION.matcher(Files.readString(Path.of("kamailio/kamailio.cfg")));
		while (edge.find()) {
			exported.add("telpro_edge_" + edge.group(1));
		}
		assertThat(exported).contains("telpro_edge_requests_total", "telpro_edge_generation");
		heartbeat("edge-dashboard", Instant.now());
		Await.until(() -> scrape().contains("telpro_edge_heartbeat_age_seconds"), Duration.ofSeconds(15));
		Matcher service = SAMPLE_NAME.matcher(scrape());
		while (service.find()) {
			exported.add(service.group(1));
		}
		redis.delete("telpro:v1:proxy:edge-dashboard");

		Set<Integer> ids = new HashSet<>();
		List<String> unknown = new ArrayList<>();
		int queries = 0;
		for (JsonNode panel : dashboard.path("panels")) {
			assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
			assertThat(panel.path("type").asText()).isIn("timeseries", "stat", "gauge", "table", "bargauge");
			for (String f : List.of("x", "y", "w", "h")) {
				assertThat(panel.path("gridPos").path(f).isInt()).as(panel.path("title") + " gridPos." + f).isTrue();
			}
			assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
			for (JsonNode target : panel.path("targets")) {
				assertThat(target.path("datasource").path("uid").asText()).isEqualTo("telpro-prometheus");
				String expr = target.path("expr").asText();
				Matcher m = METRIC_IN_QUERY.matcher(expr);
				boolean named = false;
				while (m.find()) {
					named = true;
					queries++;
					if (!exported.contains(m.group(1))) {
						unknown.add(panel.path("title").asText() + ": " + m.group(1));
					}
				}
				assertThat(named).as("query names a metric: " + expr).isTrue();
			}
		}
		assertThat(unknown).isEmpty();
		assertThat(queries).isGreaterThan(10);
	}

	@Test
	@Order(10)
	void theEdgesGroupIsDownWhileRedisIsDown() {
		heartbeat("edge-redis", Instant.now());
		TestServers servers = TestServers.get();
		servers.stopRedis();
		try {
			Await.until(() -> "DOWN".equals(edgesHealth().getBody().path("status").asText()), Duration.ofSeconds(20));
		}
		finally {
			servers.startRedis();
		}
		// the heartbeat key expires on its own; wait for the client to reconnect for the
		// next class
		Await.until(() -> {
			try {
				return "PONG".equals(redis.getConnectionFactory().getConnection().ping());
			}
			catch (RuntimeException reconnecting) {
				return false;
			}
		}, Duration.ofSeconds(30));
	}

}
