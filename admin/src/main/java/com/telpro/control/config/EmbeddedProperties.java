package com.telpro.control.config;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the embedded PostgreSQL and Redis keep their data and which loopback ports they
 * use when no external server is configured. A port of 0 picks a free one; {@code clean}
 * wipes the data folder at start (tests only).
 */
@ConfigurationProperties(EmbeddedProperties.PREFIX)
public record EmbeddedProperties(@DefaultValue("data") Path dataDir, @DefaultValue("55432") int postgresPort,
		@DefaultValue("56379") int redisPort, @DefaultValue("false") boolean clean) {

	public static final String PREFIX = "telpro.embedded";

}
