package com.telpro.control.sync;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.Delay;
import org.springframework.boot.autoconfigure.data.redis.ClientResourcesBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A dead Redis must fail a sync in seconds with a clear error, not stall it or replay it
 * later: commands are rejected while disconnected (never queued for after a reconnect),
 * and reconnect attempts back off to at most 2 s so service resumes soon after Redis
 * returns.
 */
@Configuration(proxyBeanMethods = false)
class RedisClientConfiguration {

	@Bean
	LettuceClientConfigurationBuilderCustomizer failFastWhenDisconnected(RedisProperties properties) {
		Duration connectTimeout = properties.getConnectTimeout() == null ? Duration.ofSeconds(2)
				: properties.getConnectTimeout();
		return builder -> builder.clientOptions(ClientOptions.builder()
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
			.timeoutOptions(TimeoutOptions.enabled())
			.build());
	}

	@Bean
	ClientResourcesBuilderCustomizer shortReconnectDelay() {
		return builder -> builder
			.reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS));
	}

}
