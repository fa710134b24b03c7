package com.telpro.control.sync;

import java.util.EnumSet;
import java.util.List;

import com.telpro.contract.RedisContract;
import com.telpro.control.trunk.AuthMethod;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.Trunk;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Trunks as the tests need them, and a clean Redis. */
final class Trunks {

	private Trunks() {
	}

	static Trunk ipOnly(String name, int priority, String... allowedIps) {
		Trunk trunk = new Trunk();
		trunk.setName(name);
		trunk.setPriority(priority);
		trunk.setIdentifyBy(EnumSet.of(IdentifyMethod.SOURCE_IP));
		trunk.setAllowedIps(List.of(allowedIps));
		trunk.setAuthMethod(AuthMethod.IP_ONLY);
		return trunk;
	}

	static Trunk digest(String name, int priority, String fromDomainPattern, String realm, String user,
			String password) {
		Trunk trunk = new Trunk();
		trunk.setName(name);
		trunk.setPriority(priority);
		trunk.setIdentifyBy(EnumSet.of(IdentifyMethod.FROM_DOMAIN));
		trunk.setFromDomainPattern(fromDomainPattern);
		trunk.setAuthMethod(AuthMethod.DIGEST);
		trunk.setAuthRealm(realm);
		trunk.setAuthUser(user);
		trunk.setAuthPass(password);
		return trunk;
	}

	/** Every key of the contract's layout, gone. */
	static void clearContractKeys(StringRedisTemplate redis) {
		try (Cursor<String> keys = redis.scan(ScanOptions.scanOptions().match(RedisContract.PREFIX + "*").build())) {
			keys.forEachRemaining(redis::delete);
		}
	}

}
