package com.telpro.control.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;

/**
 * Known users for tests. The first start of every test context creates {@code admin} with
 * {@code test-admin-password} (src/test/resources/config/application.yml);
 * {@link #ensure()} (re)creates it and a read-only {@code viewer} with known passwords,
 * for tests that changed them.
 *
 * <pre>
 * &#64;Autowired JdbcTemplate jdbc;
 * &#64;BeforeEach void users() { new TestUsers(jdbc).ensure(); }
 * mockMvc.perform(post("/api/trunks").with(TestUsers.asAdmin())...);           // MockMvc, API
 * mockMvc.perform(post("/admin-settings/...").with(TestUsers.asAdmin()).with(csrf())...); // pages
 * restTemplate.exchange(url, POST, new HttpEntity&lt;&gt;(body, TestUsers.adminHeaders()), ...); // real HTTP
 * curl -u admin:test-admin-password ...
 * </pre>
 *
 * Do not delete all users in a test without calling {@link #ensure()} afterwards: other
 * test classes in the same JVM log in as {@code admin}.
 */
public final class TestUsers {

	public static final String ADMIN = "admin";

	public static final String ADMIN_PASSWORD = "test-admin-password";

	public static final String VIEWER = "viewer";

	public static final String VIEWER_PASSWORD = "test-viewer-password";

	private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

	private final JdbcTemplate jdbc;

	public TestUsers(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Makes sure {@code admin} (role admin) and {@code viewer} (role viewer) exist,
	 * enabled, with the known passwords.
	 */
	public TestUsers ensure() {
		upsert(ADMIN, ADMIN_PASSWORD, "admin");
		upsert(VIEWER, VIEWER_PASSWORD, "viewer");
		return this;
	}

	/**
	 * Creates or resets a user with the given role ({@code admin} or {@code viewer});
	 * returns its id.
	 */
	public long upsert(String username, String password, String role) {
		String hash = HASHES.computeIfAbsent(password, p -> "{bcrypt}" + new BCryptPasswordEncoder(4).encode(p));
		jdbc.update("""
				insert into app_user (username, password_hash, role, enabled) values (?, ?, ?, true)
				on conflict (username) do update
				set password_hash = excluded.password_hash, role = excluded.role, enabled = true""", username, hash,
				role);
		return jdbc.queryForObject("select id from app_user where username = ?", Long.class, username);
	}

	public long idOf(String username) {
		return jdbc.queryForObject("select id from app_user where username = ?", Long.class, username);
	}

	public static RequestPostProcessor asAdmin() {
		return httpBasic(ADMIN, ADMIN_PASSWORD);
	}

	public static RequestPostProcessor asViewer() {
		return httpBasic(VIEWER, VIEWER_PASSWORD);
	}

	public static HttpHeaders adminHeaders() {
		return basic(ADMIN, ADMIN_PASSWORD);
	}

	public static HttpHeaders viewerHeaders() {
		return basic(VIEWER, VIEWER_PASSWORD);
	}

	public static HttpHeaders basic(String username, String password) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.AUTHORIZATION, basicValue(username, password));
		return headers;
	}

	public static String basicValue(String username, String password) {
		return "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	public static HttpHeaders bearer(String token) {
		HttpHeaders headers = new HttpHeaders();
		headers.setBearerAuth(token);
		return headers;
	}

}
