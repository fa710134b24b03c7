package com.telpro.control.sync;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.telpro.control.trunk.Trunk;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The one writer of generation documents in tests: the service's own
 * {@link GenerationBuilder} and {@link GenerationPublisher} over a Redis of the test's
 * own, so an edge test reads byte for byte what the admin service would publish for these
 * trunks (hashes, HA1s, address ranges, matching order, the pointer switch).
 */
public final class GenerationWriter implements AutoCloseable {

	private final LettuceConnectionFactory connections;

	private final GenerationBuilder builder = new GenerationBuilder(
			new StaticListableBeanFactory().getBeanProvider(CaCertificateFingerprints.class));

	private final GenerationPublisher publisher;

	private GenerationWriter(RedisConfiguration redis) {
		connections = new LettuceConnectionFactory(redis);
		connections.afterPropertiesSet();
		connections.start();
		StringRedisTemplate template = new StringRedisTemplate(connections);
		template.afterPropertiesSet();
		publisher = new GenerationPublisher(template);
	}

	/** Writes to the Redis on this loopback port. */
	public static GenerationWriter onPort(int port) {
		return new GenerationWriter(new RedisStandaloneConfiguration("127.0.0.1", port));
	}

	/**
	 * Writes to whichever Redis these Sentinels name primary, as the service does
	 * ({@code host:port,host:port}).
	 */
	public static GenerationWriter onSentinels(String master, String sentinelNodes) {
		return new GenerationWriter(new RedisSentinelConfiguration(master, Set.of(sentinelNodes.split(","))));
	}

	/**
	 * Publishes these trunks (the enabled ones, in matching order) as the next
	 * generation.
	 * @return the generation, live once this returns
	 */
	public long publish(List<Trunk> trunks) {
		return publisher.publish(builder.build(trunks), Instant.now()).generation();
	}

	@Override
	public void close() {
		connections.destroy();
	}

}
