package com.telpro.control.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.LockedException;
import org.springframework.stereotype.Component;

/**
 * Counts failed logins per user name and per remote address. Once either reaches its limit within
 * the window, every attempt for that user or from that address is refused, without checking the
 * password, until the lockout has passed. Failures and locks are logged. Counters live in memory
 * (one admin instance); a restart forgets them.
 */
@Component
class LoginThrottle {

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	private final SecurityProperties.Throttle settings;

	private final Clock clock;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	LoginThrottle(SecurityProperties properties, ObjectProvider<Clock> clock) {
		this.settings = properties.throttle();
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/** Throws {@link LockedException} when the user or the address is locked out. */
	void checkAllowed(String username, String address) {
		Instant now = clock.instant();
		if (isLocked(userKey(username), now) || isLocked(addressKey(address), now)) {
			log.warn("Login refused, locked out after repeated failures: user '{}' from {}", LogSafe.of(username),
					LogSafe.of(address));
			throw new LockedException("Too many failed logins; try again later");
		}
	}

	void recordFailure(String username, String address) {
		Instant now = clock.instant();
		evictIfFull(now);
		int userFailures = username == null ? 0
				: fail(userKey(username), settings.maxFailuresPerUser(), now);
		int addressFailures = address == null ? 0
				: fail(addressKey(address), settings.maxFailuresPerAddress(), now);
		log.warn("Login failed: user '{}' from {} ({} failures for the user, {} from the address)",
				LogSafe.of(username), LogSafe.of(address), userFailures, addressFailures);
		if (userFailures == settings.maxFailuresPerUser()) {
			log.warn("User '{}' locked for {} after {} failed logins", LogSafe.of(username), settings.lockout(),
					userFailures);
		}
		if (addressFailures == settings.maxFailuresPerAddress()) {
			log.warn("Address {} locked for {} after {} failed logins", LogSafe.of(address), settings.lockout(),
					addressFailures);
		}
	}

	/** A successful login clears the user's failures; the address keeps its count. */
	void recordSuccess(String username) {
		if (username != null) {
			counters.remove(userKey(username));
		}
	}

	/** The keys locked now ({@code user:<name>}, {@code addr:<address>}) with their failures and lock end. */
	Map<String, Lock> locks() {
		Instant now = clock.instant();
		Map<String, Lock> locked = new TreeMap<>();
		counters.forEach((key, counter) -> {
			if (isLocked(key, now)) {
				locked.put(key, new Lock(counter.failures, counter.lockedUntil));
			}
		});
		return locked;
	}

	/** Forgets one key's failures and lock; true when it was tracked. */
	boolean clear(String key) {
		return counters.remove(key) != null;
	}

	record Lock(int failures, Instant until) {
	}

	private int fail(String key, int limit, Instant now) {
		return counters.compute(key, (k, counter) -> {
			Counter current = counter == null || counter.expired(now, settings) ? new Counter(now) : counter;
			return current.failed(now, limit, settings);
		}).failures;
	}

	private boolean isLocked(String key, Instant now) {
		if (key == null) {
			return false;
		}
		Counter counter = counters.get(key);
		return counter != null && counter.lockedUntil != null && now.isBefore(counter.lockedUntil);
	}

	private void evictIfFull(Instant now) {
		if (counters.size() >= settings.trackedKeys()) {
			counters.values().removeIf(c -> c.expired(now, settings));
			if (counters.size() >= settings.trackedKeys()) {
				// A flood of distinct names: forget them rather than grow without bound.
				counters.clear();
				log.warn("Login throttle forgot its counters: more than {} names/addresses failing",
						settings.trackedKeys());
			}
		}
	}

	private static String userKey(String username) {
		return username == null ? null : "user:" + username;
	}

	private static String addressKey(String address) {
		return address == null ? null : "addr:" + address;
	}

	private static final class Counter {

		private final Instant windowStart;

		private final int failures;

		private final Instant lockedUntil;

		Counter(Instant windowStart) {
			this(windowStart, 0, null);
		}

		private Counter(Instant windowStart, int failures, Instant lockedUntil) {
			this.windowStart = windowStart;
			this.failures = failures;
			this.lockedUntil = lockedUntil;
		}

		Counter failed(Instant now, int limit, SecurityProperties.Throttle settings) {
			int count = failures + 1;
			Instant until = count >= limit ? now.plus(settings.lockout()) : lockedUntil;
			return new Counter(windowStart, count, until);
		}

		boolean expired(Instant now, SecurityProperties.Throttle settings) {
			boolean windowOver = !now.isBefore(windowStart.plus(settings.window()));
			boolean unlocked = lockedUntil == null || !now.isBefore(lockedUntil);
			return windowOver && unlocked;
		}

	}

}
