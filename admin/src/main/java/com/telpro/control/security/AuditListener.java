package com.telpro.control.security;

import java.time.Clock;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Stores every {@link AuditableChange}. Synchronous on purpose: it runs in the
 * publisher's transaction, so the change and its audit row commit or roll back together.
 * "From where" is the request's remote address as the servlet container reports it:
 * forwarded headers count only when the operator enables
 * {@code server.forward-headers-strategy}.
 */
@Component
class AuditListener {

	static final String SYSTEM = "system";

	private final AuditRepository audit;

	private final Clock clock;

	AuditListener(AuditRepository audit, ObjectProvider<Clock> clock) {
		this.audit = audit;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	@EventListener
	void record(AuditableChange change) {
		Map<String, Object> before = AuditMasking.mask(change.before());
		Map<String, Object> after = AuditMasking.mask(change.after());
		Map<String, Object> diff = AuditMasking.diff(change.before(), change.after());
		audit.save(new AuditEntry(clock.instant(), currentActor(), currentAddress(), change.action(),
				change.targetType(), change.targetId(), before, after, diff));
	}

	static String currentActor() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return SYSTEM;
		}
		return authentication.getName();
	}

	private static String currentAddress() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return request.getRemoteAddr();
		}
		return null;
	}

}
