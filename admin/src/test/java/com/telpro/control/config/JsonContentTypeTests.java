package com.telpro.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every API endpoint that reads a JSON body answers 415 problem details to a body of any
 * other declared type (or none declared), before anything is read or stored.
 */
@SpringBootTest
@AutoConfigureMockMvc
class JsonContentTypeTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	private record Endpoint(HttpMethod method, String path) {
	}

	@Test
	void everyJsonEndpointAnswers415ToOtherContentTypes() throws Exception {
		new TestUsers(jdbc).ensure();
		List<Endpoint> endpoints = new ArrayList<>();
		mappings.getHandlerMethods().forEach((info, handler) -> {
			boolean readsBody = Arrays.stream(handler.getMethodParameters())
				.anyMatch(p -> p.hasParameterAnnotation(RequestBody.class));
			if (!readsBody) {
				return;
			}
			for (String pattern : info.getPatternValues()) {
				for (RequestMethod method : info.getMethodsCondition().getMethods()) {
					if (pattern.startsWith("/api/")) {
						endpoints.add(new Endpoint(method.asHttpMethod(), pattern.replaceAll("\\{[^}]+}", "1")));
					}
				}
			}
		});
		assertThat(endpoints).extracting(Endpoint::toString)
			.contains("Endpoint[method=POST, path=/api/trunks]", "Endpoint[method=PUT, path=/api/trunks/1]",
					"Endpoint[method=POST, path=/api/subscribers]", "Endpoint[method=POST, path=/api/users]",
					"Endpoint[method=POST, path=/api/x-calls]");
		for (Endpoint e : endpoints) {
			for (MediaType type : List.of(MediaType.TEXT_PLAIN, MediaType.APPLICATION_FORM_URLENCODED)) {
				mvc.perform(request(e.method(), e.path()).with(TestUsers.asAdmin()).contentType(type).content("{}"))
					.andExpect(status().isUnsupportedMediaType())
					.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
					.andExpect(jsonPath("$.status").value(415));
			}
		}
	}

}
