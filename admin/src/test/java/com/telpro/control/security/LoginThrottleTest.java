package com.telpro.control.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.security.authentication.LockedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The throttle's arithmetic on a hand-moved clock; the HTTP behaviour is in
 * LoginThrottlingTest.
 */
class LoginThrottleTest {

	final MutableClock clock = new MutableClock();

	final LoginThrottle throttle = new LoginThrottle(
			new SecurityProperties(new SecurityProperties.Throttle(3, 5, Duration.ofMinutes(15), Duration.ofMinutes(10),
					100, Duration.ofMillis(200), Duration.ofSeconds(1)), "default-src 'self'"),
			new StaticListableBeanFactory(java.util.Map.of("clock", clock)).getBeanProvider(Clock.class));

	@Test
	void locksAUserAtOneAddressAfterTheLimitUntilTheLockoutHasPassed() {
		throttle.recordFailure("alice", "10.0.0.1");
		throttle.recordFailure("alice", "10.0.0.1");
		assertThatCode(() -> throttle.checkAllowed("alice", "10.0.0.1")).doesNotThrowAnyException();
		throttle.recordFailure("alice", "10.0.0.1");
		assertThatThrownBy(() -> throttle.checkAllowed("alice", "10.0.0.1")).isInstanceOf(LockedException.class);
		assertThat(throttle.checkAllowed("alice", "10.0.0.2")).as("alice elsewhere: slowed, not locked")
			.isEqualTo(Duration.ofMillis(200));
		assertThat(throttle.checkAllowed("bob", "10.0.0.1")).as("bob at the same address").isZero();

		clock.advance(Duration.ofMinutes(9));
		assertThatThrownBy(() -> throttle.checkAllowed("alice", "10.0.0.1")).isInstanceOf(LockedException.class);
		clock.advance(Duration.ofMinutes(2));
		assertThatCode(() -> throttle.checkAllowed("alice", "10.0.0.1")).doesNotThrowAnyException();
	}

	@Test
	void failuresOutsideTheWindowDoNotAddUp() {
		throttle.recordFailure("carol", "10.0.1.1");
		throttle.recordFailure("carol", "10.0.1.1");
		clock.advance(Duration.ofMinutes(16));
		throttle.recordFailure("carol", "10.0.1.1");
		throttle.recordFailure("carol", "10.0.1.1");
		assertThatCode(() -> throttle.checkAllowed("carol", "10.0.1.1")).doesNotThrowAnyException();
	}

	@Test
	void aSuccessClearsTheUsersFailuresAtThatAddress() {
		throttle.recordFailure("dave", "10.0.2.1");
		throttle.recordFailure("dave", "10.0.2.1");
		throttle.recordSuccess("dave", "10.0.2.1");
		throttle.recordFailure("dave", "10.0.2.1");
		throttle.recordFailure("dave", "10.0.2.1");
		assertThatCode(() -> throttle.checkAllowed("dave", "10.0.2.1")).doesNotThrowAnyException();
	}

	@Test
	void anAddressTryingManyNamesIsSlowedDownNeverLocked() {
		for (int i = 0; i < 4; i++) {
			throttle.recordFailure("name" + i, "192.0.2.7");
		}
		assertThat(throttle.checkAllowed("admin", "192.0.2.7")).isZero();
		throttle.recordFailure("name4", "192.0.2.7");
		assertThat(throttle.checkAllowed("admin", "192.0.2.7")).isEqualTo(Duration.ofMillis(200));
		throttle.recordFailure("name5", "192.0.2.7");
		assertThat(throttle.checkAllowed("admin", "192.0.2.7")).isEqualTo(Duration.ofMillis(400));
		for (int i = 6; i < 25; i++) {
			throttle.recordFailure("name" + i, "192.0.2.7");
		}
		assertThat(throttle.checkAllowed("admin", "192.0.2.7")).as("capped").isEqualTo(Duration.ofSeconds(1));
		assertThat(throttle.checkAllowed("admin", "192.0.2.8")).isZero();
		assertThat(throttle.locks()).as("no lock from names failing once each").isEmpty();
	}

	@Test
	void locksAreListedAndCanBeCleared() {
		for (int i = 0; i < 3; i++) {
			throttle.recordFailure("erin", "10.0.3.1");
		}
		assertThat(throttle.locks()).singleElement().satisfies(lock -> {
			assertThat(lock.username()).isEqualTo("erin");
			assertThat(lock.address()).isEqualTo("10.0.3.1");
			assertThat(lock.failures()).isEqualTo(3);
			assertThat(lock.lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
		});
		assertThat(throttle.clear("erin", "10.0.3.9")).isFalse();
		assertThat(throttle.clear("erin", "10.0.3.1")).isTrue();
		assertThat(throttle.locks()).isEmpty();
		assertThatCode(() -> throttle.checkAllowed("erin", "10.0.3.1")).doesNotThrowAnyException();
	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			now = now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneId.of("UTC");
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return now;
		}

	}

}
