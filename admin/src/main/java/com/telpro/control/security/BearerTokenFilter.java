package com.telpro.control.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.WebAuthenticationDetailsSource;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer <token>} on the API. A valid token signs the request in as
 * its user for this request only (stateless); an invalid or revoked one is answered 401
 * at once and counts as a failed login for the address.
 */
class BearerTokenFilter extends OncePerRequestFilter {

	private static final String BEARER = "Bearer ";

	private final ApiTokenService tokens;

	private final LoginThrottle throttle;

	private final AuthenticationEntryPoint entryPoint;

	private final WebAuthenticationDetailsSource details = new WebAuthenticationDetailsSource();

	BearerTokenFilter(ApiTokenService tokens, LoginThrottle throttle, AuthenticationEntryPoint entryPoint) {
		this.tokens = tokens;
		this.throttle = throttle;
		this.entryPoint = entryPoint;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			chain.doFilter(request, response);
			return;
		}
		String token = header.substring(BEARER.length()).trim();
		String address = request.getRemoteAddr();
		try {
			// never locked or slowed (a valid token always works); a wrong one counts
			// against the address
			UserDetails user = tokens.authenticate(token)
				.map(TelproAuthenticationProvider::principal)
				.orElseThrow(() -> {
					throttle.recordFailure(null, address);
					return new BadCredentialsException("Invalid or revoked token");
				});
			UsernamePasswordAuthenticationToken authentication = UsernamePasswordAuthenticationToken.authenticated(user,
					null, user.getAuthorities());
			authentication.setDetails(details.buildDetails(request));
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(authentication);
			SecurityContextHolder.setContext(context);
		}
		catch (AuthenticationException ex) {
			SecurityContextHolder.clearContext();
			entryPoint.commence(request, response, ex);
			return;
		}
		chain.doFilter(request, response);
	}

}
