package com.telpro.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest
class TelproApplicationTests {

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	Environment environment;

	@Test
	void startsOnEmbeddedPostgresAndRedisWithTheSchemaMigrated() {
		assertThat(environment.getProperty("spring.datasource.url")).startsWith("jdbc:postgresql://localhost:");
		assertThat(jdbc.queryForObject("select count(*) from flyway_schema_history where success", Integer.class))
			.isPositive();
		redis.opsForValue().set("telpro:test:ping", "pong");
		assertThat(redis.opsForValue().get("telpro:test:ping")).isEqualTo("pong");
		redis.delete("telpro:test:ping");
	}

}
