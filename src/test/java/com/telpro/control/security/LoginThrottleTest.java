package com.telpro.control.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.security.authentication.LockedException;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The throttle's arithmetic on a hand-moved clock; the HTTP behaviour is in LoginThrottlingTest. */
class LoginThrottleTest {

	final MutableClock clock = new MutableClock();

	final LoginThrottle throttle = new LoginThrottle(
			new SecurityProperties(new SecurityProperties.Throttle(3, 5, Duration.ofMinutes(15), Duration.ofMinutes(10), 100),
					"default-src 'self'"),
			new StaticListableBeanFactory(java.util.Map.of("clock", clock)).getBeanProvider(Clock.class));

	@Test
	void locksAUserAfterTheLimitUntilTheLockoutHasPassed() {
		throttle.recordFailure("alice", "10.0.0.1");
		throttle.recordFailure("alice", "10.0.0.2");
		assertThatCode(() -> throttle.checkAllowed("alice", "10.0.0.3")).doesNotThrowAnyException();
		throttle.recordFailure("alice", "10.0.0.3");
		assertThatThrownBy(() -> throttle.checkAllowed("alice", "10.0.0.9")).isInstanceOf(LockedException.class);
		assertThatCode(() -> throttle.checkAllowed("bob", "10.0.0.9")).doesNotThrowAnyException();

		clock.advance(Duration.ofMinutes(9));
		assertThatThrownBy(() -> throttle.checkAllowed("alice", "10.0.0.9")).isInstanceOf(LockedException.class);
		clock.advance(Duration.ofMinutes(2));
		assertThatCode(() -> throttle.checkAllowed("alice", "10.0.0.9")).doesNotThrowAnyException();
	}

	@Test
	void failuresOutsideTheWindowDoNotAddUp() {
		throttle.recordFailure("carol", null);
		throttle.recordFailure("carol", null);
		clock.advance(Duration.ofMinutes(16));
		throttle.recordFailure("carol", null);
		throttle.recordFailure("carol", null);
		assertThatCode(() -> throttle.checkAllowed("carol", null)).doesNotThrowAnyException();
	}

	@Test
	void aSuccessClearsTheUsersFailures() {
		throttle.recordFailure("dave", null);
		throttle.recordFailure("dave", null);
		throttle.recordSuccess("dave");
		throttle.recordFailure("dave", null);
		throttle.recordFailure("dave", null);
		assertThatCode(() -> throttle.checkAllowed("dave", null)).doesNotThrowAnyException();
	}

	@Test
	void locksAnAddressThatTriesManyNames() {
		for (int i = 0; i < 5; i++) {
			throttle.recordFailure("name" + i, "192.0.2.7");
		}
		assertThatThrownBy(() -> throttle.checkAllowed("someone-else", "192.0.2.7")).isInstanceOf(LockedException.class);
		assertThatCode(() -> throttle.checkAllowed("someone-else", "192.0.2.8")).doesNotThrowAnyException();
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
