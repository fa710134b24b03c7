package com.telpro.control.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The account created on the first start, when no user exists yet.
 *
 * @param initialUsername its name
 * @param initialPassword its password ({@code TELPRO_ADMIN_PASSWORD}); when empty a
 * random one is generated and printed once on the console
 */
@ConfigurationProperties("telpro.admin")
public record AdminProperties(@DefaultValue("admin") String initialUsername, String initialPassword) {

	boolean hasInitialPassword() {
		return initialPassword != null && !initialPassword.isBlank();
	}

}
