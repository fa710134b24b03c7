package com.telpro.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every write endpoint of the API, found from the handler mappings, gets hundreds of
 * generated bad requests as the admin: invalid JSON, wrong top-level types, wrong field
 * types, missing fields, unknown (hostile) properties, huge strings and arrays, unicode
 * and injection strings, bad path ids, and a 10 MB body. Each must be answered 4xx with
 * problem details (never 2xx, never 5xx), and every application table — audit_log
 * included, rejected requests write no audit row — must be exactly as before.
 */
@SpringBootTest
@AutoConfigureMockMvc
class ApiBadInputTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	/**
	 * A valid-looking id no row has: path variables point here so a request can never
	 * touch a row.
	 */
	private static final String NO_SUCH_ID = "2147483000";

	private static final List<String> BAD_IDS = List.of("0", "-1", NO_SUCH_ID, "99999999999999999999", "abc", "1.5",
			"1e3", "%27%20or%201%3D1", "%00", "..%2F..%2Fetc");

	private static final List<String> MALFORMED = List.of("", " ", "{", "}", "[", "]", "{\"a\":}", "{'name': 'x'}",
			"{\"name\": \"x\",}", "{\"name\" \"x\"}", "{name: 1}", "{\"a\": NaN}", "{\"a\": Infinity}", "{\"a\": 01}",
			"{\"a\": 1} trailing", "{\"a\": \"unterminated}", "{\"a\": \"bad \\q escape\"}", "{\"a\": \"\\ud800\"}",
			"/* comment */ {}", "\uFEFF{}", "\u0000", "{\"a\": tru}", "nul", "<xml/>", "name=x&role=admin",
			"{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "[".repeat(100_000), "{\"a\":1}{\"b\":2}");

	private static final List<String> WRONG_ROOT = List.of("1", "-1", "\"text\"", "true", "[]", "[{}]", "[1, 2]");

	/** Values of the wrong JSON type for any field, and sizes no field accepts. */
	private static final List<Object> WRONG_TYPED = List.of(Map.of("nested", Map.of("deeper", List.of())),
			List.of(List.of(1, 2), Map.of()), 1.5e308, -9223372036854775808.0, 12.5, List.of("x".repeat(200_000)));

	/**
	 * Text no field accepts: NUL and other control characters, and strings over any
	 * field's size.
	 */
	private static final List<String> INVALID_TEXT = List.of("nul\u0000byte", "\u0007\u001B[31m", "x".repeat(300_000),
			"\u0000");

	/** Injection attempts and unusual unicode. */
	private static final List<String> HOSTILE = List.of("'; drop table trunk; --", "\" OR \"1\"=\"1",
			"<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/x}", "../../../../etc/passwd",
			"line\r\nX-Injected: 1", "\u202Eevil\u202C", "𝕏🙂\uD83D\uDE00", "%s%s%s%n", "Zoë Ünïcødé 電話");

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@BeforeEach
	void users() {
		new TestUsers(jdbc).ensure();
	}

	@Test
	void everyBadRequestToEveryWriteEndpointGets4xxProblemDetailsAndChangesNothing() throws Exception {
		List<Endpoint> endpoints = writeEndpoints();
		assertThat(endpoints).extracting(Endpoint::path)
			.contains("/api/trunks", "/api/trunks/{id}", "/api/users", "/api/users/{id}", "/api/secrets");

		String before = dump();
		List<String> failures = new ArrayList<>();
		int sent = 0;
		for (Endpoint e : endpoints) {
			for (Case c : cases(e)) {
				sent++;
				MockHttpServletResponse r = perform(e.method(), c.path(), c.body());
				String problem = r.getContentType() == null ? "" : r.getContentType();
				if (r.getStatus() < 400 || r.getStatus() >= 500 || !problem.startsWith("application/problem+json")) {
					failures.add(e.method() + " " + c.path() + " [" + c.label() + "] -> " + r.getStatus() + " "
							+ problem + " " + abbreviate(r.getContentAsString()));
				}
			}
		}
		System.out.printf("BAD-INPUT %d requests to %d write endpoints, %d answered other than 4xx problem details%n",
				sent, endpoints.size(), failures.size());
		assertThat(failures).as("of %d bad requests", sent).isEmpty();
		assertThat(sent).isGreaterThan(500);
		assertThat(dump()).as("database after the bad requests").isEqualTo(before);
	}

	@Test
	void aTenMegabyteBodyGets413ProblemDetails() throws Exception {
		String before = dump();
		String huge = "{\"name\": \"" + "x".repeat(10 * 1024 * 1024) + "\"}";
		for (Endpoint e : writeEndpoints()) {
			MockHttpServletResponse r = perform(e.method(), withIds(e.path(), NO_SUCH_ID), huge);
			assertThat(r.getStatus()).as(e.method() + " " + e.path()).isEqualTo(413);
			assertThat(r.getContentType()).startsWith("application/problem+json");
			assertThat(JSON.readTree(r.getContentAsString()).get("title").asText()).isEqualTo("Request body too large");
		}
		assertThat(dump()).isEqualTo(before);
	}

	// ------------------------------------------------------------------ endpoints and
	// cases

	record Endpoint(HttpMethod method, String path, Class<?> body, boolean bodyRequired) {
	}

	record Case(String label, String path, String body) {
	}

	/**
	 * POST/PUT/PATCH/DELETE under /api/ except the ones that take no input at all (POST
	 * /api/sync).
	 */
	private List<Endpoint> writeEndpoints() {
		List<Endpoint> list = new ArrayList<>();
		for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
			Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
			MethodParameter body = null;
			for (MethodParameter p : entry.getValue().getMethodParameters()) {
				if (p.hasParameterAnnotation(RequestBody.class)) {
					body = p;
				}
			}
			for (String path : entry.getKey().getPatternValues()) {
				if (!path.startsWith("/api/") || body == null && !path.contains("{")) {
					continue;
				}
				for (RequestMethod m : methods) {
					if (m == RequestMethod.GET || m == RequestMethod.HEAD || m == RequestMethod.OPTIONS) {
						continue;
					}
					list.add(new Endpoint(HttpMethod.valueOf(m.name()), path,
							body == null ? null : body.getParameterType(),
							body != null && body.getParameterAnnotation(RequestBody.class).required()));
				}
			}
		}
		list.sort((a, b) -> (a.path() + a.method()).compareTo(b.path() + b.method()));
		return list;
	}

	private List<Case> cases(Endpoint e) throws Exception {
		List<Case> cases = new ArrayList<>();
		String path = withIds(e.path(), NO_SUCH_ID);
		if (e.path().contains("{id}")) {
			for (String id : BAD_IDS) {
				cases.add(new Case("id " + id, withIds(e.path().replace("{id}", id), NO_SUCH_ID),
						e.body() == null ? null : "{}"));
			}
		}
		if (e.body() == null) {
			return cases;
		}
		for (String m : MALFORMED) {
			if (!e.bodyRequired() && (m.isBlank() || m.equals("\uFEFF{}"))) {
				continue; // no body, or an empty object, is a valid request where the
							// body is optional
			}
			cases.add(new Case("malformed " + abbreviate(m), path, m));
		}
		for (String root : WRONG_ROOT) {
			cases.add(new Case("root " + root, path, root));
		}
		if (e.bodyRequired()) {
			cases.add(new Case("root null", path, "null"));
			cases.add(new Case("no body", path, null));
		}
		for (String hostile : HOSTILE) {
			cases.add(new Case("unknown property " + abbreviate(hostile), path,
					JSON.writeValueAsString(Map.of(hostile, hostile))));
		}
		List<String> fields = fields(e.body());
		for (String field : fields) {
			for (Object wrong : WRONG_TYPED) {
				cases.add(new Case(field + " = " + abbreviate(String.valueOf(wrong)), path, body(field, wrong)));
			}
			for (String invalid : INVALID_TEXT) {
				cases.add(new Case(field + " = " + abbreviate(invalid), path, body(field, invalid)));
			}
			if (fields.size() > 1) {
				// the other fields missing: refused however the endpoint judges the
				// string itself
				// (a one-field body such as a token name may legitimately hold any of
				// these)
				for (String hostile : HOSTILE) {
					cases.add(new Case(field + " = " + abbreviate(hostile), path, body(field, hostile)));
				}
			}
			cases.add(new Case(field + " = 10,000 element array", path,
					body(field, java.util.Collections.nCopies(10_000, "x"))));
		}
		return cases;
	}

	private static String body(String field, Object value) throws Exception {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put(field, value);
		return JSON.writeValueAsString(body);
	}

	/** The path with every remaining variable ({id}, {tokenId}, ...) set to value. */
	private static String withIds(String path, String value) {
		return path.replaceAll("\\{[^}]+}", value);
	}

	/** The JSON (snake_case) names of the request record's fields. */
	private static List<String> fields(Class<?> type) {
		List<String> names = new ArrayList<>();
		RecordComponent[] components = type.getRecordComponents();
		if (components != null) {
			for (RecordComponent c : components) {
				names.add(FieldProblem.jsonName(c.getName()));
			}
		}
		return names;
	}

	private MockHttpServletResponse perform(HttpMethod method, String path, String body) throws Exception {
		var builder = request(method, path).with(TestUsers.asAdmin()).accept(MediaType.APPLICATION_JSON);
		if (body != null) {
			builder.contentType(MediaType.APPLICATION_JSON).content(body);
		}
		return mvc.perform(builder).andReturn().getResponse();
	}

	// ------------------------------------------------------------------ database
	// snapshot

	/**
	 * Every row of every application table (Flyway's history aside), in a stable order.
	 */
	private String dump() {
		Set<String> tables = new TreeSet<>(
				jdbc.queryForList(
						"select table_name from information_schema.tables where table_schema = 'public' "
								+ "and table_type = 'BASE TABLE' and table_name <> 'flyway_schema_history'",
						String.class));
		StringBuilder out = new StringBuilder();
		for (String table : tables) {
			out.append("== ").append(table).append('\n');
			jdbc.query("select * from \"" + table + "\" order by 1", rs -> {
				int columns = rs.getMetaData().getColumnCount();
				StringBuilder row = new StringBuilder();
				for (int i = 1; i <= columns; i++) {
					row.append(rs.getString(i)).append('|');
				}
				out.append(row).append('\n');
			});
		}
		return out.toString();
	}

	private static String abbreviate(String s) {
		String flat = s.replaceAll("[\\r\\n\\x00-\\x1f]", "·");
		return flat.length() > 60 ? flat.substring(0, 60) + "…(" + s.length() + ")" : flat;
	}

}
