package com.telpro.control.sync;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import com.telpro.contract.RedisContract;
import com.telpro.control.secret.CaBundle;
import com.telpro.control.secret.PlatformSecretService;
import com.telpro.control.trunk.Trunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes the TLS material of a sync to Redis, before the generation switch ("TLS
 * material" in kamailio/REDIS-CONTRACT.md): the CA bundle of every CA_CERT secret an
 * enabled trunk references, and its SHA-256, in one MULTI/EXEC. The TLS watcher beside
 * Kamailio polls the hash and reloads when it changes. Only public certificates are
 * written, never a key.
 */
@Component
public class TlsMaterialPublisher {

	private static final Logger log = LoggerFactory.getLogger(TlsMaterialPublisher.class);

	private final StringRedisTemplate redis;

	private final PlatformSecretService secrets;

	TlsMaterialPublisher(StringRedisTemplate redis, PlatformSecretService secrets) {
		this.redis = redis;
		this.secrets = secrets;
	}

	/**
	 * Publishes the CA bundle of {@code publishedTrunks} (the trunks of the generation
	 * being published; disabled ones are skipped) through {@code ops}.
	 * @return what was written
	 * @throws DataAccessException when Redis refused: the previous material stays in
	 * force
	 */
	public CaBundle publish(RedisOperations<String, String> ops, Collection<Trunk> publishedTrunks) {
		return publishCaCertificates(ops,
				publishedTrunks.stream()
					.filter(Trunk::isEnabled)
					.map(Trunk::getTlsCaSecretId)
					.filter(Objects::nonNull)
					.toList());
	}

	/**
	 * The CA bundle of these CA_CERT secrets, as
	 * {@link #publish(RedisOperations, Collection)}.
	 */
	CaBundle publishCaCertificates(RedisOperations<String, String> ops, List<Long> caSecretIds) {
		CaBundle bundle = secrets.caBundle(caSecretIds);
		List<Object> results = ops.execute(new SessionCallback<List<Object>>() {
			@Override
			@SuppressWarnings({ "unchecked", "rawtypes" })
			public List<Object> execute(RedisOperations operations) {
				operations.multi();
				operations.opsForValue().set(RedisContract.TLS_CA_BUNDLE, bundle.pem());
				operations.opsForValue().set(RedisContract.TLS_CA_BUNDLE_SHA256, bundle.sha256());
				return operations.exec();
			}
		});
		if (results == null || results.size() != 2) {
			throw new RedisSystemException("Redis did not apply the TLS material transaction", null);
		}
		log.info("TLS material published: {} CA certificate(s), sha256 {}", bundle.size(), bundle.sha256());
		return bundle;
	}

	/**
	 * {@link #publish(RedisOperations, Collection)} through the application's Redis
	 * template.
	 */
	public CaBundle publish(Collection<Trunk> publishedTrunks) {
		return publish(redis, publishedTrunks);
	}

	CaBundle publishCaCertificates(List<Long> caSecretIds) {
		return publishCaCertificates(redis, caSecretIds);
	}

}
