package com.telpro.control.admin;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.telpro.control.TelproApplication;
import com.telpro.control.sync.SyncService;
import com.telpro.control.trunk.AuthMethod;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Times the trunk list page (GET /admin-settings over real HTTP, rendered by Thymeleaf,
 * with the unsynced marks read from Redis) with 2,000 trunks in the embedded PostgreSQL,
 * a third of them changed since the last sync: the first page, a page deep in the list, a
 * search, filters with a sort. Median and 95th percentile of 30 requests after 10
 * warm-ups. Run by {@code bench/trunk-list-bench.sh}; the goal is under 300 ms per page.
 */
public final class TrunkListBenchmark {

	private static final int WARMUP = 10;

	private static final int RUNS = 30;

	private static final String PASSWORD = "bench-admin-password";

	private TrunkListBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int size = args.length == 0 ? 2_000 : Integer.parseInt(args[0]);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TelproApplication.class)
			.logStartupInfo(false)
			.run("--telpro.embedded.data-dir=target/embedded-bench-list", "--telpro.embedded.clean=true",
					"--telpro.embedded.postgres-port=0", "--telpro.embedded.redis-port=0",
					"--telpro.secrets.key=bench-only-secrets-key-0123456789",
					"--telpro.admin.initial-password=" + PASSWORD, "--logging.level.root=ERROR",
					"--spring.main.banner-mode=off", "--server.port=0", "--server.address=127.0.0.1")) {
			TrunkRepository trunks = context.getBean(TrunkRepository.class);
			List<Trunk> all = new ArrayList<>();
			for (int i = 0; i < size; i++) {
				all.add(trunk(i));
			}
			List<Trunk> saved = trunks.saveAll(all);
			context.getBean(SyncService.class).syncAll("benchmark");
			for (int i = 0; i < saved.size(); i += 3) {
				saved.get(i).setPriority((saved.get(i).getPriority() + 1) % 1000);
			}
			trunks.saveAll(saved);
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			// Logged in once, like the operator's browser: HTTP Basic would time bcrypt
			// on every request.
			HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
			login(http, port);
			System.out.printf(Locale.ROOT, "%-44s %8s %10s %10s%n", "page (" + size + " trunks)", "bytes", "median ms",
					"p95 ms");
			double worst = 0;
			for (String path : List.of("/admin-settings", "/admin-settings?page=20", "/admin-settings?size=200&page=5",
					"/admin-settings?q=carrier-17", "/admin-settings?q=10.7.",
					"/admin-settings?enabled=true&auth=digest&sort=name&dir=desc",
					"/admin-settings?tls=mtls-peer-name&internal=false")) {
				worst = Math.max(worst, measure(http, port, path));
			}
			System.out.printf(Locale.ROOT, "slowest median: %.1f ms (goal < 300 ms): %s%n", worst,
					worst < 300 ? "MET" : "NOT MET");
		}
	}

	private static void login(HttpClient http, int port) throws Exception {
		String page = http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
		if (!csrf.find()) {
			throw new IllegalStateException("no CSRF token on the login page");
		}
		String form = "username=admin&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
				+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
		HttpResponse<String> response = http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
		String location = response.headers().firstValue("Location").orElse("");
		if (response.statusCode() != 302 || location.contains("error")) {
			throw new IllegalStateException("login failed: " + response.statusCode() + " " + location);
		}
	}

	private static double measure(HttpClient http, int port, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Accept", "text/html")
			.build();
		List<Double> times = new ArrayList<>();
		int bytes = 0;
		for (int i = 0; i < WARMUP + RUNS; i++) {
			long start = System.nanoTime();
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			double ms = (System.nanoTime() - start) / 1e6;
			if (response.statusCode() != 200 || response.uri().getPath().equals("/login")) {
				throw new IllegalStateException(path + ": HTTP " + response.statusCode());
			}
			bytes = response.body().length();
			if (i >= WARMUP) {
				times.add(ms);
			}
		}
		times.sort(null);
		double median = times.get(times.size() / 2);
		double p95 = times.get((int) Math.ceil(times.size() * 0.95) - 1);
		System.out.printf(Locale.ROOT, "%-44s %8d %10.1f %10.1f%n", path, bytes, median, p95);
		return median;
	}

	private static Trunk trunk(int i) {
		Trunk t = new Trunk();
		t.setName(String.format(Locale.ROOT, "carrier-%04d", i));
		t.setPriority(i % 1000);
		t.setEnabled(i % 7 != 0);
		t.setInternal(i % 50 == 0);
		t.setIdentifyBy(EnumSet.of(IdentifyMethod.SOURCE_IP));
		t.setAllowedIps(List.of("10." + (i / 250) + "." + (i % 250) + ".0/24"));
		if (i % 4 == 0) {
			t.setIdentifyBy(EnumSet.of(IdentifyMethod.FROM_DOMAIN));
			t.setAllowedIps(List.of());
			t.setFromDomainPattern("^pbx" + i + "\\.example\\.com$");
			t.setAuthMethod(AuthMethod.DIGEST);
			t.setAuthRealm("pbx" + i + ".example.com");
			t.setAuthUser("pbx" + i);
			t.setAuthPass("secret-" + i);
		}
		else {
			t.setAuthMethod(AuthMethod.IP_ONLY);
		}
		return t;
	}

}
