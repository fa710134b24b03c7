package com.telpro.control.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.control.common.LogSafe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The database outage answer for everything the REST advice does not see: the login's
 * user lookup in Spring Security, and the Thymeleaf pages. API requests get problem
 * details, pages get {@code static/database-unavailable.html}; both 503 with Retry-After.
 * Runs before Spring Security.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class DatabaseUnavailableFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableFilter.class);

	private final ObjectMapper json;

	private final byte[] page;

	DatabaseUnavailableFilter(ObjectMapper json) throws IOException {
		this.json = json;
		try (InputStream in = new ClassPathResource("static/database-unavailable.html").getInputStream()) {
			this.page = in.readAllBytes();
		}
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | IOException | RuntimeException ex) {
			if (!DatabaseUnavailable.causedBy(ex) || response.isCommitted()) {
				throw ex;
			}
			log.warn("Database unavailable: {} {} answered 503 ({})", request.getMethod(),
					LogSafe.of(request.getRequestURI()), rootMessage(ex));
			response.resetBuffer();
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(DatabaseUnavailable.RETRY_AFTER.toSeconds()));
			if (wantsPage(request)) {
				response.setContentType(MediaType.TEXT_HTML_VALUE);
				response.setCharacterEncoding(StandardCharsets.UTF_8.name());
				response.getOutputStream().write(page);
			}
			else {
				response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
				json.writeValue(response.getOutputStream(), DatabaseUnavailable.problem());
			}
		}
	}

	private static boolean wantsPage(HttpServletRequest request) {
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		return !request.getRequestURI().startsWith("/api/") && accept != null && accept.contains("text/html");
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName();
	}

}
