package com.telpro.control.config;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tomcat opens the port before the service is ready: the runners (Kamailio's database
 * role) and the ready listeners (the first admin account) run after it. Until Spring Boot
 * declares the application ready (readiness ACCEPTING_TRAFFIC, published after every
 * ready listener), every request but the health probes gets 503 with Retry-After, so a
 * script that waits for the port and then logs in never sees 401 for a valid password.
 * Also answers 503 while shutting down. Runs before Spring Security.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class NotReadyFilter extends OncePerRequestFilter {

	static final int RETRY_AFTER_SECONDS = 2;

	private final ObjectProvider<ApplicationAvailability> availability;

	private final ObjectMapper json;

	NotReadyFilter(ObjectProvider<ApplicationAvailability> availability, ObjectMapper json) {
		this.availability = availability;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (isReady() || request.getRequestURI().startsWith("/actuator/health")) {
			chain.doFilter(request, response);
			return;
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The admin service is starting (or stopping) and not ready yet; try again in a few seconds.");
		problem.setTitle("Not ready");
		response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		json.writeValue(response.getOutputStream(), problem);
	}

	private boolean isReady() {
		ApplicationAvailability state = availability.getIfAvailable();
		if (state == null) {
			return true; // a test slice without availability: nothing to wait for
		}
		return state.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
	}

}
