package com.telpro.control.security;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.http.client.ClientHttpRequestFactorySettings.Redirects;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.LinkedMultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Over real HTTP (Tomcat): what MockMvc cannot show, the session cookie's flags. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SessionCookieHttpTest {

	@Autowired
	TestRestTemplate http;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void users() {
		new TestUsers(jdbc).ensure();
	}

	@Test
	void theSessionCookieIsHttpOnlyAndSameSiteAndLoginWorksWithTheFormsCsrfToken() {
		ResponseEntity<String> page = http.getForEntity("/login", String.class);
		assertThat(page.getStatusCode()).isEqualTo(HttpStatus.OK);
		List<String> cookies = page.getHeaders().get(HttpHeaders.SET_COOKIE);
		assertThat(cookies).isNotNull();
		String session = cookies.stream().filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElseThrow();
		assertThat(session).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");

		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.getBody());
		assertThat(csrf.find()).isTrue();
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_FORM_URLENCODED);
		headers.add(HttpHeaders.COOKIE, session.substring(0, session.indexOf(';')));
		LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("username", TestUsers.ADMIN);
		form.add("password", TestUsers.ADMIN_PASSWORD);
		form.add("_csrf", csrf.group(1));
		ResponseEntity<String> login = http.withRedirects(Redirects.DONT_FOLLOW)
			.exchange("/login", HttpMethod.POST, new HttpEntity<>(form, headers), String.class);
		assertThat(login.getStatusCode()).isEqualTo(HttpStatus.FOUND);
		assertThat(login.getHeaders().getLocation()).hasPath("/admin-settings");
	}

	@Test
	void sessionsAreTrackedByCookieOnlyNeverInTheUrl() {
		ResponseEntity<String> page = http.getForEntity("/login", String.class);
		assertThat(page.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(page.getBody()).as("links of a page served to a browser without a cookie yet")
			.contains("action=\"/login\"")
			.doesNotContainIgnoringCase("jsessionid");
		HttpHeaders stale = new HttpHeaders();
		stale.add(HttpHeaders.COOKIE, "JSESSIONID=0123456789ABCDEF0123456789ABCDEF");
		for (String path : List.of("/admin-settings", "/login", "/admin-settings/trunks")) {
			ResponseEntity<String> expired = http.withRedirects(Redirects.DONT_FOLLOW)
				.exchange(path, HttpMethod.GET, new HttpEntity<>(stale), String.class);
			assertThat(String.valueOf(expired.getHeaders().getLocation())).as(path)
				.doesNotContainIgnoringCase("jsessionid");
			assertThat(String.valueOf(expired.getBody())).as(path).doesNotContainIgnoringCase("jsessionid");
		}
		ResponseEntity<String> uncookied = http.withRedirects(Redirects.DONT_FOLLOW)
			.getForEntity("/admin-settings/trunks", String.class);
		assertThat(String.valueOf(uncookied.getHeaders().getLocation())).doesNotContainIgnoringCase("jsessionid");
	}

	@Test
	void aJsonEndpointAnswers415ToATextPlainBody() {
		HttpHeaders headers = TestUsers.adminHeaders();
		headers.setContentType(MediaType.TEXT_PLAIN);
		ResponseEntity<String> answer = http.exchange("/api/trunks", HttpMethod.POST, new HttpEntity<>(
				"{\"name\": \"plain-text-trunk\", \"identify_by\": [\"source_ip\"], \"allowed_ips\": [\"192.0.2.1\"],"
						+ " \"auth_method\": \"ip_only\"}",
				headers), String.class);
		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
		assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(jdbc.queryForObject("select count(*) from trunk where name = 'plain-text-trunk'", Integer.class))
			.isZero();
	}

	@Test
	void theApiAnswersScriptsWithBasicAndRefusesTheRest() {
		ResponseEntity<String> ok = http.exchange("/api/users", HttpMethod.GET,
				new HttpEntity<>(TestUsers.adminHeaders()), String.class);
		assertThat(ok.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(ok.getHeaders().get(HttpHeaders.SET_COOKIE)).isNull();

		ResponseEntity<String> anonymous = http.getForEntity("/api/users", String.class);
		assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(anonymous.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(anonymous.getBody()).contains("\"status\":401");
	}

}
