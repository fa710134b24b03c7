package com.telpro.control.subscriber;

import com.telpro.control.security.StrongPassword;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What an operator sends to create a SIP account or change its password: the one set of
 * field rules, used by the REST API and the admin pages alike.
 */
public final class SubscriberRequests {

	/**
	 * RFC 3261 "user" unreserved characters that are safe in every client's settings
	 * screen.
	 */
	static final String USERNAME = "[A-Za-z0-9._+-]{1,64}";

	/** A host name or an IPv4 address, as subscribers type it into their phones. */
	static final String DOMAIN = "(?=.{1,64}$)([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*";

	private SubscriberRequests() {
	}

	public record Create(
			@NotBlank @Pattern(regexp = USERNAME, message = "use 1 to 64 letters, digits or . _ + -") String username,
			@NotBlank @Pattern(regexp = DOMAIN,
					message = "must be a host name or IPv4 address of at most 64 characters") String domain,
			@NotBlank @Size(min = 8, max = 128,
					message = "must be 8 to 128 characters") @StrongPassword String password) {
	}

	public record ChangePassword(@NotBlank @Size(min = 8, max = 128,
			message = "must be 8 to 128 characters") @StrongPassword String password) {
	}

}
