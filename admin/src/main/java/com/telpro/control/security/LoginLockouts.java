package com.telpro.control.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.telpro.control.common.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * The login lockouts as an admin sees them (the Lockouts tab), and clearing one. The
 * throttle locks a user at one address (elsewhere it only slows down), so a lockout is
 * that pair; its key on the page is {@code <address>|<user name>} (an address never holds
 * a {@code |}). A clear is audited.
 */
@Service
public class LoginLockouts {

	private static final Logger log = LoggerFactory.getLogger(LoginLockouts.class);

	private final LoginThrottle throttle;

	private final ApplicationEventPublisher events;

	LoginLockouts(LoginThrottle throttle, ApplicationEventPublisher events) {
		this.throttle = throttle;
		this.events = events;
	}

	/**
	 * @param key passed back to {@link #clear}
	 * @param kind what is locked: a user at an address
	 * @param who the user name and address
	 */
	public record Lockout(String key, String kind, String who, int failures, Instant until) {
	}

	public List<Lockout> current() {
		return throttle.locks()
			.stream()
			.map(lock -> new Lockout(lock.address() + "|" + lock.username(), "user at address",
					lock.username() + " @ " + lock.address(), lock.failures(), lock.lockedUntil()))
			.toList();
	}

	/**
	 * @return whether that user was locked at that address
	 */
	public boolean clear(String key) {
		int bar = key.indexOf('|');
		if (bar < 0) {
			return false;
		}
		boolean cleared = throttle.clear(key.substring(bar + 1), key.substring(0, bar));
		if (cleared) {
			log.info("Login lockout cleared: {}", LogSafe.of(key));
			events.publishEvent(new AuditableChange("login.unlock", "lockout", key, Map.of("locked", true),
					Map.of("locked", false)));
		}
		return cleared;
	}

}
