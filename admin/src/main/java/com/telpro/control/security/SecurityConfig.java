package com.telpro.control.security;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.ExceptionMappingAuthenticationFailureHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.logout.SimpleUrlLogoutSuccessHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.session.HttpSessionEventPublisher;

/**
 * Who may call what.
 * <ul>
 * <li>{@code /api/**}: stateless. {@code Authorization: Bearer <token>} or HTTP Basic
 * (user name with password or token); no session, no CSRF (no cookie is ever honoured
 * there). Reads need any signed-in user; every other method needs the admin role. 401 and
 * 403 are problem details.</li>
 * <li>Everything else: the admin pages, form login with a session and CSRF protection
 * (HTTP Basic also accepted, e.g. for {@code /v3/api-docs}). GET needs any signed-in
 * user; every other method needs the admin role. Unauthenticated page requests are
 * redirected to {@code /login}. Open to all: the login page, static assets,
 * {@code /actuator/health}. Swagger UI and the OpenAPI document need a signed-in
 * user.</li>
 * </ul>
 * The rules go by HTTP method, not by endpoint, so a new write endpoint is covered
 * without an edit here. Method security is on as a second line for controllers that want
 * it.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfig {

	@Bean
	PasswordEncoder passwordEncoder() {
		// bcrypt, stored with its {bcrypt} id so the algorithm can be upgraded later.
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	SessionRegistry sessionRegistry() {
		return new SessionRegistryImpl();
	}

	@Bean
	HttpSessionEventPublisher httpSessionEventPublisher() {
		return new HttpSessionEventPublisher();
	}

	@Bean
	AuthenticationManager authenticationManager(TelproAuthenticationProvider provider) {
		return new ProviderManager(provider);
	}

	@Bean
	@Order(1)
	SecurityFilterChain apiSecurity(HttpSecurity http, AuthenticationManager authenticationManager,
			ApiTokenService tokens, LoginThrottle throttle, ObjectMapper json, SecurityProperties properties)
			throws Exception {
		ProblemResponses problems = new ProblemResponses(json);
		// the API chain (bearer tokens, Basic) also guards the metrics Prometheus scrapes
		// with a token
		http.securityMatcher("/api/**", "/actuator/prometheus")
			.authenticationManager(authenticationManager)
			.authorizeHttpRequests(requests -> requests.requestMatchers(HttpMethod.GET, "/api/**")
				.authenticated()
				.requestMatchers(HttpMethod.HEAD, "/api/**")
				.authenticated()
				.anyRequest()
				.hasRole(Role.ADMIN.name()))
			.addFilterBefore(new BearerTokenFilter(tokens, throttle, problems), BasicAuthenticationFilter.class)
			.httpBasic(basic -> basic.authenticationEntryPoint(problems))
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.headers(headers -> securityHeaders(headers, properties));
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain pageSecurity(HttpSecurity http, AuthenticationManager authenticationManager,
			SessionRegistry sessionRegistry, SecurityProperties properties, ExpiredSessionForms expiredForms)
			throws Exception {
		ExceptionMappingAuthenticationFailureHandler loginFailure = new ExceptionMappingAuthenticationFailureHandler();
		loginFailure.setDefaultFailureUrl("/login?error");
		loginFailure.setExceptionMappings(Map.of(LockedException.class.getName(), "/login?locked"));
		SimpleUrlLogoutSuccessHandler loggedOut = new SimpleUrlLogoutSuccessHandler();
		loggedOut.setDefaultTargetUrl("/login?logout");
		http.authenticationManager(authenticationManager)
			.authorizeHttpRequests(requests -> requests
				.requestMatchers("/login", "/css/**", "/js/**", "/images/**", "/favicon.ico", "/error")
				.permitAll()
				.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**")
				.permitAll()
				.requestMatchers(HttpMethod.GET, "/**")
				.authenticated()
				.requestMatchers(HttpMethod.HEAD, "/**")
				.authenticated()
				// Everyone changes their own password (viewers too).
				.requestMatchers(HttpMethod.POST, "/admin-settings/account/password")
				.authenticated()
				.anyRequest()
				.hasRole(Role.ADMIN.name()))
			.formLogin(form -> form.loginPage("/login")
				.successHandler(expiredForms.afterLogin("/admin-settings"))
				.failureHandler(loginFailure)
				.permitAll())
			.logout(logout -> logout.logoutUrl("/logout").logoutSuccessHandler(loggedOut).permitAll())
			.httpBasic(basic -> {
			})
			.exceptionHandling(errors -> errors.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login"))
				.accessDeniedHandler(expiredForms))
			.sessionManagement(session -> session.maximumSessions(-1)
				.sessionRegistry(sessionRegistry)
				.expiredUrl("/login?expired"))
			.headers(headers -> securityHeaders(headers, properties));
		return http.build();
	}

	private static void securityHeaders(HeadersConfigurer<HttpSecurity> headers, SecurityProperties properties) {
		// Spring Security's defaults stay on: nosniff, X-Frame-Options DENY, no-store
		// caching.
		headers.contentSecurityPolicy(csp -> csp.policyDirectives(properties.contentSecurityPolicy()))
			.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
			.frameOptions(HeadersConfigurer.FrameOptionsConfig::deny);
	}

}
