package com.telpro.control.security;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
class SecurityRulesTest {

	/**
	 * Rendering an error changes nothing; Spring Boot's error page accepts any method.
	 */
	private static final Set<String> NOT_A_CHANGE = Set.of("/error");

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Autowired
	ApiTokenService tokens;

	TestUsers users;

	@BeforeEach
	void users() {
		users = new TestUsers(jdbc).ensure();
	}

	@Test
	void unauthenticatedPagesRedirectToTheLoginPage() throws Exception {
		for (String page : List.of("/admin-settings", "/admin-settings/users", "/admin-settings/audit",
				"/swagger-ui.html", "/v3/api-docs")) {
			mvc.perform(get(page).accept(MediaType.TEXT_HTML))
				.andExpect(status().isFound())
				.andExpect(redirectedUrlPattern("**/login"));
		}
		mvc.perform(get("/login")).andExpect(status().isOk());
		mvc.perform(get("/actuator/health")).andExpect(status().isOk());
	}

	@Test
	void unauthenticatedApiAnswers401ProblemDetails() throws Exception {
		for (String path : List.of("/api/users", "/api/audit", "/api/tokens", "/api/anything-unknown")) {
			mvc.perform(get(path))
				.andExpect(status().isUnauthorized())
				.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.status").value(401))
				.andExpect(jsonPath("$.detail").exists())
				.andExpect(header().exists("WWW-Authenticate"));
		}
		mvc.perform(get("/api/users").with(httpBasic(TestUsers.ADMIN, "wrong-password-here")))
			.andExpect(status().isUnauthorized())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		mvc.perform(get("/api/users").header("Authorization", "Bearer tp_not-a-real-token"))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.status").value(401));
	}

	@Test
	void viewerReadsEverythingButTheApiRefusesEveryWriteWith403() throws Exception {
		mvc.perform(get("/api/users").with(TestUsers.asViewer())).andExpect(status().isOk());
		mvc.perform(get("/api/audit").with(TestUsers.asViewer())).andExpect(status().isOk());
		String viewerToken = tokens.create(users.idOf(TestUsers.VIEWER), "viewer-script").token();
		long before = changeCount();

		List<Endpoint> writes = writeEndpoints();
		List<Endpoint> api = writes.stream().filter(e -> e.path().startsWith("/api/")).toList();
		assertThat(api).extracting(Endpoint::toString)
			.contains("POST /api/users", "PATCH /api/users/1", "DELETE /api/users/1", "POST /api/users/1/tokens",
					"POST /api/tokens", "DELETE /api/tokens/1", "POST /api/trunks", "PUT /api/trunks/1",
					"DELETE /api/trunks/1", "POST /api/trunks/1/enable", "POST /api/trunks/1/disable", "POST /api/sync",
					"POST /api/subscribers", "DELETE /api/subscribers/1", "POST /api/secrets", "DELETE /api/secrets/1");
		for (Endpoint endpoint : api) {
			mvc.perform(endpoint.request().with(TestUsers.asViewer()))
				.andExpect(status().isForbidden())
				.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.status").value(403));
			mvc.perform(endpoint.request().header("Authorization", "Bearer " + viewerToken))
				.andExpect(status().isForbidden());
			mvc.perform(endpoint.request()).andExpect(status().isUnauthorized());
		}
		assertThat(changeCount()).as("nothing changed").isEqualTo(before);
	}

	@Test
	void viewerCannotPostAnyPageFormEvenWithACsrfToken() throws Exception {
		long before = changeCount();
		List<Endpoint> pages = writeEndpoints().stream().filter(e -> !e.path().startsWith("/api/")).toList();
		assertThat(pages).extracting(Endpoint::toString)
			.contains("POST /admin-settings/users", "POST /admin-settings/users/1/delete",
					"POST /admin-settings/users/1/tokens", "POST /admin-settings/trunks",
					"POST /admin-settings/trunks/1", "POST /admin-settings/trunks/1/enable",
					"POST /admin-settings/trunks/1/disable", "POST /admin-settings/trunks/1/delete",
					"POST /admin-settings/secrets", "POST /admin-settings/secrets/1/delete");
		for (Endpoint endpoint : pages) {
			// The one page write of every role: one's own password
			// (admin/AccountController).
			if (!endpoint.path().equals("/admin-settings/account/password")) {
				mvc.perform(endpoint.request().with(TestUsers.asViewer()).with(csrf()))
					.andExpect(status().isForbidden());
			}
			mvc.perform(endpoint.request().with(csrf()))
				.andExpect(status().isFound())
				.andExpect(redirectedUrlPattern("**/login"));
		}
		assertThat(changeCount()).as("nothing changed").isEqualTo(before);
	}

	@Test
	void viewerPagesShowNoButtonThatChangesAnything() throws Exception {
		long viewerId = users.idOf(TestUsers.VIEWER);
		String trunk = mvc
			.perform(post("/api/trunks").with(TestUsers.asAdmin())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\": \"viewer-page-" + System.nanoTime() + "\", \"identify_by\": [\"source_ip\"],"
						+ " \"allowed_ips\": [\"192.0.2.1/32\"], \"auth_method\": \"ip_only\"}"))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		long trunkId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(trunk).get("id").asLong();
		for (String page : List.of("/admin-settings", "/admin-settings/trunks/" + trunkId, "/admin-settings/secrets",
				"/admin-settings/users", "/admin-settings/users/" + viewerId, "/admin-settings/audit")) {
			String html = mvc.perform(get(page).with(TestUsers.asViewer()))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString();
			assertThat(postFormsWithAButton(html)).as(page).containsOnly("/logout");
			assertThat(html).as(page).doesNotContain("/admin-settings/trunks/new");
		}
		for (String page : List.of("/admin-settings", "/admin-settings/users/" + viewerId)) {
			String adminView = mvc.perform(get(page).with(TestUsers.asAdmin()))
				.andReturn()
				.getResponse()
				.getContentAsString();
			assertThat(postFormsWithAButton(adminView)).as(page).hasSizeGreaterThan(1);
		}
	}

	@Test
	void aFormPostWithoutCsrfTokenIsRefusedEvenForAnAdmin() throws Exception {
		jdbc.update("delete from app_user where username = 'csrf-victim'");
		mvc.perform(post("/admin-settings/users").with(TestUsers.asAdmin())
			.param("username", "csrf-victim")
			.param("password", "long-enough-password")
			.param("role", "admin")).andExpect(status().isForbidden());
		assertThat(jdbc.queryForObject("select count(*) from app_user where username = 'csrf-victim'", Integer.class))
			.isZero();

		mvc.perform(post("/admin-settings/users").with(TestUsers.asAdmin())
			.with(csrf())
			.param("username", "csrf-victim")
			.param("password", "long-enough-password")
			.param("role", "viewer")).andExpect(status().isFound());
		assertThat(jdbc.queryForObject("select count(*) from app_user where username = 'csrf-victim'", Integer.class))
			.isOne();
	}

	@Test
	void formLoginStartsASessionAndLogoutEndsIt() throws Exception {
		MvcResult login = mvc
			.perform(post("/login").with(csrf())
				.param("username", TestUsers.ADMIN)
				.param("password", TestUsers.ADMIN_PASSWORD))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/admin-settings"))
			.andReturn();
		var session = (org.springframework.mock.web.MockHttpSession) login.getRequest().getSession(false);
		mvc.perform(get("/admin-settings/users").session(session)).andExpect(status().isOk());
		mvc.perform(post("/logout").session(session).with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?logout"));
		mvc.perform(get("/admin-settings/users").session(session).accept(MediaType.TEXT_HTML))
			.andExpect(status().isFound())
			.andExpect(redirectedUrlPattern("**/login"));

		mvc.perform(post("/login").with(csrf()).param("username", TestUsers.ADMIN).param("password", "wrong-one"))
			.andExpect(redirectedUrl("/login?error"));
		mvc.perform(post("/login").param("username", TestUsers.ADMIN).param("password", TestUsers.ADMIN_PASSWORD))
			.andExpect(status().isForbidden());
	}

	@Test
	void disablingAUserEndsTheirSessionAtOnce() throws Exception {
		long id = users.upsert("session-user", "session-user-password", "viewer");
		MvcResult login = mvc
			.perform(post("/login").with(csrf())
				.param("username", "session-user")
				.param("password", "session-user-password"))
			.andExpect(redirectedUrl("/admin-settings"))
			.andReturn();
		var session = (org.springframework.mock.web.MockHttpSession) login.getRequest().getSession(false);
		mvc.perform(get("/admin-settings/users").session(session)).andExpect(status().isOk());

		mvc.perform(request(HttpMethod.PATCH, "/api/users/" + id).with(TestUsers.asAdmin())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"enabled\": false}")).andExpect(status().isOk());

		mvc.perform(get("/admin-settings/users").session(session))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/login?expired"));
	}

	@Test
	void responsesCarryTheSecurityHeaders() throws Exception {
		for (MockHttpServletRequestBuilder request : List.of(get("/login"),
				get("/api/users").with(TestUsers.asAdmin()))) {
			mvc.perform(request)
				.andExpect(header().string("X-Content-Type-Options", "nosniff"))
				.andExpect(header().string("X-Frame-Options", "DENY"))
				.andExpect(header().string("Content-Security-Policy",
						org.hamcrest.Matchers.containsString("frame-ancestors 'none'")))
				.andExpect(header().string("Content-Security-Policy",
						org.hamcrest.Matchers.containsString("default-src 'self'")));
		}
	}

	@Test
	void adminMayWrite() throws Exception {
		jdbc.update("delete from app_user where username = 'created-by-admin'");
		mvc.perform(post("/api/users").with(TestUsers.asAdmin())
			.contentType(MediaType.APPLICATION_JSON)
			.content(
					"{\"username\": \"created-by-admin\", \"password\": \"long-enough-password\", \"role\": \"viewer\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.username").value("created-by-admin"))
			.andExpect(jsonPath("$.role").value("viewer"))
			.andExpect(jsonPath("$.password").doesNotExist())
			.andExpect(jsonPath("$.password_hash").doesNotExist());
	}

	/**
	 * Every handler method reachable with a method other than GET/HEAD/OPTIONS, path
	 * variables filled with 1.
	 */
	private List<Endpoint> writeEndpoints() {
		Set<Endpoint> endpoints = new LinkedHashSet<>();
		mappings.getHandlerMethods().keySet().forEach(info -> {
			Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
			Set<RequestMethod> writes = methods.isEmpty()
					? Set.of(RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE)
					: methods;
			for (String pattern : patterns(info)) {
				if (NOT_A_CHANGE.contains(pattern)) {
					continue;
				}
				for (RequestMethod method : writes) {
					if (method != RequestMethod.GET && method != RequestMethod.HEAD
							&& method != RequestMethod.OPTIONS) {
						endpoints.add(new Endpoint(method.asHttpMethod(), pattern.replaceAll("\\{[^}]+}", "1")));
					}
				}
			}
		});
		assertThat(endpoints).isNotEmpty();
		return new ArrayList<>(endpoints);
	}

	private static Set<String> patterns(RequestMappingInfo info) {
		return info.getPathPatternsCondition() != null ? info.getPathPatternsCondition().getPatternValues()
				: info.getPatternValues();
	}

	private long changeCount() {
		return jdbc.queryForObject(
				"select (select count(*) from audit_log) + (select count(*) from app_user) + (select count(*) from api_token)"
						+ " + (select coalesce(sum(version), 0) from app_user) + (select count(*) from trunk)"
						+ " + (select coalesce(sum(version), 0) from trunk) + (select count(*) from subscriber)",
				Long.class);
	}

	/** The actions of the POST forms on a page that have a button to submit them. */
	private static List<String> postFormsWithAButton(String html) {
		List<String> actions = new ArrayList<>();
		var form = java.util.regex.Pattern.compile("(?s)<form([^>]*)>(.*?)</form>").matcher(html);
		var action = java.util.regex.Pattern.compile("action=\"([^\"]*)\"");
		while (form.find()) {
			String attributes = form.group(1).toLowerCase(java.util.Locale.ROOT);
			if (attributes.contains("method=\"post\"") && form.group(2).contains("<button")) {
				var name = action.matcher(form.group(1));
				actions.add(name.find() ? name.group(1) : "");
			}
		}
		return actions;
	}

	record Endpoint(HttpMethod method, String path) {

		MockHttpServletRequestBuilder request() {
			return request(method, path).contentType(MediaType.APPLICATION_JSON).content("{}");
		}

		private static MockHttpServletRequestBuilder request(HttpMethod method, String path) {
			return org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request(method, path);
		}

		@Override
		public String toString() {
			return method.name() + " " + path;
		}

	}

}
