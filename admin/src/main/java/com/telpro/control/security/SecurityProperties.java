package com.telpro.control.security;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Login throttling and the Content-Security-Policy of the admin pages.
 *
 * @param throttle how many failed logins lock a user or an address, and for how long
 * @param contentSecurityPolicy the CSP header sent with every response
 */
@Validated
@ConfigurationProperties("telpro.security")
public record SecurityProperties(@Valid @DefaultValue Throttle throttle,
		@DefaultValue("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
				+ "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'") String contentSecurityPolicy) {

	/**
	 * A user with {@code maxFailuresPerUser} failures from one address within
	 * {@code window} is refused at that address for {@code lockout}, whatever the
	 * password. From {@code maxFailuresPerAddress} failures of an address (or
	 * {@code maxFailuresPerUser} of a user across addresses) on, each password attempt
	 * from it (for them) first waits {@code slowdownStep} per failure beyond the limit,
	 * at most {@code maxSlowdown}: slowed, never locked. {@code trackedKeys} bounds the
	 * memory the counters may take. See {@link LoginThrottle}.
	 */
	public record Throttle(@Min(1) @DefaultValue("5") int maxFailuresPerUser,
			@Min(1) @DefaultValue("20") int maxFailuresPerAddress, @DefaultValue("15m") Duration window,
			@DefaultValue("15m") Duration lockout, @Min(100) @DefaultValue("100000") int trackedKeys,
			@DefaultValue("500ms") Duration slowdownStep, @DefaultValue("5s") Duration maxSlowdown) {
	}

}
