package com.telpro.control.config;

import java.util.HashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the embedded PostgreSQL and/or Redis before the datasource and Redis connection
 * are built, each only when Spring Boot's own settings for it are absent: an operator who
 * sets {@code SPRING_DATASOURCE_URL} or {@code SPRING_DATA_REDIS_URL} gets exactly that
 * server.
 */
public class EmbeddedServersPostProcessor implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "telproEmbeddedServers";

	private final Log log;

	public EmbeddedServersPostProcessor(DeferredLogFactory logFactory) {
		this.log = logFactory.getLog(EmbeddedServersPostProcessor.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean externalPostgres = environment.containsProperty("spring.datasource.url");
		// Sentinel (spring.data.redis.sentinel.master + nodes) is an external Redis too
		boolean externalRedis = environment.containsProperty("spring.data.redis.url")
				|| environment.containsProperty("spring.data.redis.host")
				|| environment.containsProperty("spring.data.redis.sentinel.master");
		if (externalPostgres && externalRedis) {
			return;
		}
		EmbeddedProperties properties = Binder.get(environment)
			.bindOrCreate(EmbeddedProperties.PREFIX, EmbeddedProperties.class);
		EmbeddedServers servers = EmbeddedServers.forDataDir(properties);
		servers.preflight(properties, !externalPostgres, !externalRedis, message -> log.warn(message));
		Map<String, Object> settings = new HashMap<>();
		if (!externalPostgres) {
			settings.put("spring.datasource.url", servers.postgresJdbcUrl(properties.postgresPort()));
			settings.put("spring.datasource.username", "postgres");
			settings.put("spring.datasource.password", "");
			log.info("Embedded PostgreSQL on 127.0.0.1:" + servers.postgresPort() + ", data in " + servers.dataDir());
		}
		if (!externalRedis) {
			settings.put("spring.data.redis.url", servers.redisUrl(properties.redisPort()));
			log.info("Embedded Redis on 127.0.0.1:" + servers.redisPort() + ", data in " + servers.dataDir());
		}
		environment.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME, settings));
	}

}
