package com.telpro.control.kamailio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads an edge's Prometheus endpoint (WITH_METRICS) into series -> value. */
final class EdgeMetrics {

	/**
	 * {@code name{labels} value [timestamp]}; xhttp_prom may put a space before the
	 * labels.
	 */
	private static final Pattern SAMPLE = Pattern
		.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*\\})?\\s+(\\S+)(?:\\s+\\d+)?$");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"([^\"]*)\"");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int port;

	EdgeMetrics(int port) {
		this.port = port;
	}

	int port() {
		return port;
	}

	HttpResponse<String> get(String path) {
		try {
			return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Every sample, keyed {@code name{label="value",...}} with labels sorted by name. */
	Map<String, Double> scrape() {
		HttpResponse<String> response = get("/metrics");
		if (response.statusCode() != 200) {
			throw new IllegalStateException("metrics answered " + response.statusCode() + ": " + response.body());
		}
		return parse(response.body());
	}

	static Map<String, Double> parse(String text) {
		Map<String, Double> samples = new LinkedHashMap<>();
		for (String line : text.split("\n")) {
			line = line.trim();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			Matcher m = SAMPLE.matcher(line);
			if (!m.matches()) {
				throw new IllegalStateException("not a Prometheus sample: " + line);
			}
			samples.put(key(m.group(1), m.group(2)), Double.parseDouble(m.group(3)));
		}
		return samples;
	}

	private static String key(String name, String labels) {
		if (labels == null) {
			return name;
		}
		Map<String, String> sorted = new java.util.TreeMap<>();
		Matcher l = LABEL.matcher(labels);
		while (l.find()) {
			sorted.put(l.group(1), l.group(2));
		}
		StringBuilder sb = new StringBuilder(name).append('{');
		sorted.forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\","));
		sb.setLength(sb.length() - 1);
		return sb.append('}').toString();
	}

	/**
	 * The series key of requests_total for a trunk ("" for none), reason and method
	 * class.
	 */
	static String requests(String trunk, String reason, String method) {
		return "telpro_edge_requests_total{method=\"" + method + "\",reason=\"" + reason + "\",trunk=\"" + trunk
				+ "\"}";
	}

	double value(String series) {
		return scrape().getOrDefault(series, 0.0);
	}

}
