package com.telpro.control.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import com.telpro.control.common.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.LockedException;
import org.springframework.stereotype.Component;

/**
 * Failed password logins, counted three ways within the window:
 * <ul>
 * <li>per user name <em>and</em> address: at {@code maxFailuresPerUser} that pair is
 * locked for {@code lockout}, whatever the password — the same user from another address,
 * and other users from the same address, are not;</li>
 * <li>per address: from {@code maxFailuresPerAddress} on, every password attempt from it
 * waits a little longer (by {@code slowdownStep}, at most {@code maxSlowdown}) — guessing
 * many names from one address gets slow, while a colleague behind the same NAT or proxy
 * still signs in;</li>
 * <li>per user name across addresses: from {@code maxFailuresPerUser} on, attempts for
 * that name are slowed the same way (a distributed guess), never locked.</li>
 * </ul>
 * API tokens are never locked or slowed (256 random bits are not guessed), and signed-in
 * sessions are not touched. Failures and locks are logged. Counters live in memory (one
 * admin instance); a restart forgets them. {@link #locks()} and {@link #clear} let an
 * admin see and lift locks.
 */
@Component
public class LoginThrottle {

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	private final SecurityProperties.Throttle settings;

	private final Clock clock;

	private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

	LoginThrottle(SecurityProperties properties, ObjectProvider<Clock> clock) {
		this.settings = properties.throttle();
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/** A (user, address) pair refused until {@code lockedUntil}. */
	public record Lock(String username, String address, int failures, Instant lockedUntil) {
	}

	/**
	 * Before a password is checked: throws {@link LockedException} when this user is
	 * locked at this address; otherwise returns how long the attempt should wait first
	 * (zero when not slowed).
	 */
	Duration checkAllowed(String username, String address) {
		Instant now = clock.instant();
		Counter pair = username == null || address == null ? null : counters.get(Key.pair(username, address));
		if (pair != null && pair.lockedAt(now)) {
			log.warn("Login refused, locked out after repeated failures: user '{}' from {}", LogSafe.of(username),
					LogSafe.of(address));
			throw new LockedException("Too many failed logins; try again later");
		}
		return max(slowdown(Key.address(address), settings.maxFailuresPerAddress(), now),
				slowdown(Key.user(username), settings.maxFailuresPerUser(), now));
	}

	/** Waits as {@link #checkAllowed} said; bounded by {@code maxSlowdown}. */
	void pause(Duration delay) {
		if (delay.isZero()) {
			return;
		}
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	void recordFailure(String username, String address) {
		Instant now = clock.instant();
		evictIfFull(now);
		int pairFailures = username == null || address == null ? 0
				: fail(Key.pair(username, address), settings.maxFailuresPerUser(), now);
		int userFailures = username == null ? 0 : fail(Key.user(username), 0, now);
		int addressFailures = address == null ? 0 : fail(Key.address(address), 0, now);
		log.warn(
				"Login failed: user '{}' from {} ({} failures for the user from this address, {} for the user, "
						+ "{} from the address)",
				LogSafe.of(username), LogSafe.of(address), pairFailures, userFailures, addressFailures);
		if (pairFailures == settings.maxFailuresPerUser()) {
			log.warn("User '{}' locked at {} for {} after {} failed logins", LogSafe.of(username), LogSafe.of(address),
					settings.lockout(), pairFailures);
		}
		if (addressFailures == settings.maxFailuresPerAddress()) {
			log.warn("Address {} slowed down after {} failed logins: each further attempt waits up to {}",
					LogSafe.of(address), addressFailures, settings.maxSlowdown());
		}
	}

	/**
	 * A successful login clears the user's failures at that address; the address keeps
	 * its count.
	 */
	void recordSuccess(String username, String address) {
		if (username != null && address != null) {
			counters.remove(Key.pair(username, address));
		}
	}

	/** The locks in force now, the latest first. */
	public List<Lock> locks() {
		Instant now = clock.instant();
		return counters.entrySet()
			.stream()
			.filter(e -> e.getKey().kind == Kind.PAIR && e.getValue().lockedAt(now))
			.map(e -> new Lock(e.getKey().username, e.getKey().address, e.getValue().failures,
					e.getValue().lockedUntil))
			.sorted(Comparator.comparing(Lock::lockedUntil).reversed())
			.toList();
	}

	/**
	 * Lifts the lock (and forgets the failures) of this user at this address; false when
	 * there was none.
	 */
	public boolean clear(String username, String address) {
		Counter removed = counters.remove(Key.pair(username, address));
		if (removed != null) {
			log.warn("Login lock of user '{}' at {} cleared", LogSafe.of(username), LogSafe.of(address));
		}
		return removed != null && removed.lockedAt(clock.instant());
	}

	private Duration slowdown(Key key, int limit, Instant now) {
		if (key == null) {
			return Duration.ZERO;
		}
		Counter counter = counters.get(key);
		if (counter == null || counter.expired(now, settings)) {
			return Duration.ZERO;
		}
		int excess = counter.failures - limit + 1;
		if (excess <= 0) {
			return Duration.ZERO;
		}
		Duration delay = settings.slowdownStep().multipliedBy(excess);
		return delay.compareTo(settings.maxSlowdown()) > 0 ? settings.maxSlowdown() : delay;
	}

	private static Duration max(Duration a, Duration b) {
		return a.compareTo(b) >= 0 ? a : b;
	}

	/**
	 * One more failure; at {@code lockAt} failures (0: never) the key is locked for the
	 * lockout.
	 */
	private int fail(Key key, int lockAt, Instant now) {
		return counters.compute(key, (k, counter) -> {
			Counter current = counter == null || counter.expired(now, settings) ? new Counter(now) : counter;
			return current.failed(now, lockAt, settings);
		}).failures;
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

	private enum Kind {

		PAIR, USER, ADDRESS

	}

	private record Key(Kind kind, String username, String address) {

		static Key pair(String username, String address) {
			return new Key(Kind.PAIR, Objects.requireNonNull(username), Objects.requireNonNull(address));
		}

		static Key user(String username) {
			return username == null ? null : new Key(Kind.USER, username, null);
		}

		static Key address(String address) {
			return address == null ? null : new Key(Kind.ADDRESS, null, address);
		}

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

		Counter failed(Instant now, int lockAt, SecurityProperties.Throttle settings) {
			int count = failures + 1;
			Instant until = lockAt > 0 && count >= lockAt ? now.plus(settings.lockout()) : lockedUntil;
			return new Counter(windowStart, count, until);
		}

		boolean lockedAt(Instant now) {
			return lockedUntil != null && now.isBefore(lockedUntil);
		}

		boolean expired(Instant now, SecurityProperties.Throttle settings) {
			boolean windowOver = !now.isBefore(windowStart.plus(settings.window()));
			return windowOver && !lockedAt(now);
		}

	}

}
