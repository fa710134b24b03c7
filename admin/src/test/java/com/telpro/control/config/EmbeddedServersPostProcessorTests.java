package com.telpro.control.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.mock.env.MockEnvironment;

class EmbeddedServersPostProcessorTests {

	private final EmbeddedServersPostProcessor postProcessor = new EmbeddedServersPostProcessor(new DeferredLogs());

	@Test
	void startsNothingWhenBothServersAreExternal() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.datasource.url", "jdbc:postgresql://db.example:5432/telpro")
			.withProperty("spring.data.redis.url", "redis://cache.example:6379");

		postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getPropertySources().contains(EmbeddedServersPostProcessor.SOURCE_NAME)).isFalse();
		assertThat(environment.getProperty("spring.datasource.url"))
			.isEqualTo("jdbc:postgresql://db.example:5432/telpro");
	}

	@Test
	void externalPostgresWithEmbeddedRedisStartsOnlyRedis(@TempDir Path dataDir) {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.datasource.url", "jdbc:postgresql://db.example:5432/telpro")
			.withProperty("telpro.embedded.data-dir", dataDir.toString())
			.withProperty("telpro.embedded.redis-port", "0")
			.withProperty("telpro.embedded.postgres-port", "0");

		postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("spring.datasource.url"))
			.isEqualTo("jdbc:postgresql://db.example:5432/telpro");
		assertThat(environment.getProperty("spring.data.redis.url")).startsWith("redis://127.0.0.1:");
		assertThat(dataDir.resolve("redis")).isDirectory();
		assertThat(dataDir.resolve("postgres")).doesNotExist();
		EmbeddedServers.forDataDir(new EmbeddedProperties(dataDir, 0, 0, false)).stopRedis();
	}

	@Test
	void externalRedisHostAlsoCountsAsExternal(@TempDir Path dataDir) {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.datasource.url", "jdbc:postgresql://db.example:5432/telpro")
			.withProperty("spring.data.redis.host", "cache.example")
			.withProperty("telpro.embedded.data-dir", dataDir.toString());

		postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("spring.data.redis.url")).isNull();
		assertThat(dataDir.resolve("redis")).doesNotExist();
	}

	@Test
	void redisThroughSentinelCountsAsExternal(@TempDir Path dataDir) {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.datasource.url", "jdbc:postgresql://db.example:5432/telpro")
			.withProperty("spring.data.redis.sentinel.master", "telpro")
			.withProperty("spring.data.redis.sentinel.nodes", "s1.example:26379,s2.example:26379,s3.example:26379")
			.withProperty("telpro.embedded.data-dir", dataDir.toString());

		postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("spring.data.redis.url")).isNull();
		assertThat(dataDir.resolve("redis")).doesNotExist();
	}

}
