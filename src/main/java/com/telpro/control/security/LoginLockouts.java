package com.telpro.control.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * The login lockouts as an admin sees them (the Lockouts tab), and clearing one: the throttle's
 * own keys, shown as they are, so whatever the throttle counts by (user, address, or both) is what
 * is listed. A clear is audited.
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
	 * @param key the throttle's key, passed back to {@link #clear}
	 * @param kind what is locked: {@code user}, {@code addr}, or the throttle's own prefix
	 * @param who the user name or address
	 */
	public record Lockout(String key, String kind, String who, int failures, Instant until) {
	}

	public List<Lockout> current() {
		return throttle.locks().entrySet().stream().map(e -> {
			String key = e.getKey();
			int colon = key.indexOf(':');
			return new Lockout(key, colon < 0 ? "" : key.substring(0, colon), colon < 0 ? key : key.substring(colon + 1),
					e.getValue().failures(), e.getValue().until());
		}).toList();
	}

	/** @return whether the key was locked or counting failures */
	public boolean clear(String key) {
		boolean cleared = throttle.clear(key);
		if (cleared) {
			log.info("Login lockout cleared: {}", LogSafe.of(key));
			events.publishEvent(new AuditableChange("login.unlock", "lockout", key, Map.of("locked", true),
					Map.of("locked", false)));
		}
		return cleared;
	}

}
