package com.telpro.control.support;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Tells every test context which servers {@link TestServers} chose. With containers it
 * sets Spring Boot's own connection settings — what {@code @ServiceConnection} would set
 * — before the application's bootstrap runs, which then sees external servers and starts
 * nothing embedded.
 */
public class TestServersPostProcessor implements EnvironmentPostProcessor, Ordered {

	/**
	 * Set on a test context that is given its own PostgreSQL and Redis; this processor
	 * leaves it alone.
	 */
	public static final String OWN_SERVERS = "telpro.test.own-servers";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty(OWN_SERVERS)) {
			return; // a context that brings its own database (an outage test stops it)
		}
		if (TestServers.get() instanceof TestServers.Containers containers) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource("telproTestContainers",
						Map.of("spring.datasource.url", containers.jdbcUrl(), "spring.datasource.username",
								containers.username(), "spring.datasource.password", containers.password(),
								"spring.data.redis.url", containers.redisUrl())));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
