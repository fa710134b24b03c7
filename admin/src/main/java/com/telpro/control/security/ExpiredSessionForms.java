package com.telpro.control.security;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.beans.MutablePropertyValues;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Component;

/**
 * A form sent after the session expired must not end on a bare 403 with the input lost.
 * Its CSRF token no longer matches any session, so instead of refusing it plainly this
 * keeps the submitted fields (never a password) in a new session, sends the operator to
 * the login page with a message, and after the login back to the page the form was on,
 * where the page's controller takes the kept fields ({@link #take}) and shows them again,
 * not saved: the operator checks and saves. Spring Security's request cache cannot do
 * this: it replays a saved POST as a GET of its URL. Any other refusal (a viewer's write)
 * is a plain 403 page.
 */
@Component
public class ExpiredSessionForms implements AccessDeniedHandler {

	static final String ATTRIBUTE = ExpiredSessionForms.class.getName() + ".kept";

	/** Never kept: passwords and the dead CSRF token. */
	private static final Set<String> DROPPED = Set.of("_csrf", "password", "authPass", "pem", "currentPassword");

	private final AccessDeniedHandler refused = new AccessDeniedHandlerImpl();

	private final RedirectStrategy redirects = new DefaultRedirectStrategy();

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException, ServletException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!isFormOfAnEndedSession(request, path, denied)) {
			refused.handle(request, response, denied);
			return;
		}
		if ("/logout".equals(path)) {
			redirects.sendRedirect(request, response, "/login?logout");
			return;
		}
		Map<String, String[]> fields = new LinkedHashMap<>();
		request.getParameterMap().forEach((name, values) -> {
			if (!DROPPED.contains(name)) {
				fields.put(name, values.clone());
			}
		});
		request.getSession(true).setAttribute(ATTRIBUTE, new Kept(formPage(request), path, fields));
		redirects.sendRedirect(request, response, "/login?timeout");
	}

	/**
	 * After a login: back to the page of the kept form, else wherever Spring Security
	 * would go (the page asked for before the login, or the trunk list).
	 */
	AuthenticationSuccessHandler afterLogin(String defaultUrl) {
		SavedRequestAwareAuthenticationSuccessHandler usual = new SavedRequestAwareAuthenticationSuccessHandler();
		usual.setDefaultTargetUrl(defaultUrl);
		return (request, response, authentication) -> {
			HttpSession session = request.getSession(false);
			Object kept = session == null ? null : session.getAttribute(ATTRIBUTE);
			if (kept instanceof Kept form) {
				redirects.sendRedirect(request, response, form.page());
				return;
			}
			usual.onAuthenticationSuccess(request, response, authentication);
		};
	}

	/**
	 * The fields kept for a form posted to {@code action}, once: a second visit shows the
	 * stored state.
	 */
	public Optional<MutablePropertyValues> take(HttpServletRequest request, String action) {
		HttpSession session = request.getSession(false);
		if (session == null || !(session.getAttribute(ATTRIBUTE) instanceof Kept form)
				|| !form.action().equals(action)) {
			return Optional.empty();
		}
		session.removeAttribute(ATTRIBUTE);
		return Optional.of(new MutablePropertyValues(form.fields()));
	}

	/**
	 * The page the form was on: the same-origin Referer (sent, see the Referrer-Policy),
	 * else the trunk list.
	 */
	private static String formPage(HttpServletRequest request) {
		String referer = request.getHeader("Referer");
		if (referer != null) {
			try {
				URI uri = URI.create(referer);
				if (request.getServerName().equalsIgnoreCase(uri.getHost()) && uri.getRawPath() != null
						&& uri.getRawPath().startsWith("/") && !uri.getRawPath().startsWith("/login")) {
					return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
				}
			}
			catch (IllegalArgumentException ex) {
				// a malformed Referer: fall back to the list
			}
		}
		return "/admin-settings";
	}

	/**
	 * A browser's form (no Authorization header: a script's request without a CSRF token
	 * stays a 403) posted without a live session. The login form itself is left to Spring
	 * Security.
	 */
	private static boolean isFormOfAnEndedSession(HttpServletRequest request, String path,
			AccessDeniedException denied) {
		return denied instanceof CsrfException && "POST".equals(request.getMethod())
				&& request.getHeader("Authorization") == null && !"/login".equals(path) && !isSignedIn();
	}

	private static boolean isSignedIn() {
		Authentication who = SecurityContextHolder.getContext().getAuthentication();
		return who != null && who.isAuthenticated() && !(who instanceof AnonymousAuthenticationToken);
	}

	/**
	 * @param action where the form was posted; @param page where it was shown
	 */
	private record Kept(String page, String action, Map<String, String[]> fields) implements Serializable {
	}

}
