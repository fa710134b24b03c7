package com.telpro.control.security;

import java.util.List;
import java.util.Optional;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Checks a user name with a password or one of the user's API tokens (form login and HTTP
 * Basic), behind the {@link LoginThrottle}: a user locked at this address is refused
 * before any check, a slowed address or user waits first, and every failure counts.
 * Tokens are never locked or slowed.
 */
@Component
class TelproAuthenticationProvider implements AuthenticationProvider {

	/**
	 * Compared against when the user does not exist, so that case takes as long as a
	 * wrong password.
	 */
	private final String unknownUserHash;

	private final AppUserRepository users;

	private final ApiTokenService tokens;

	private final PasswordEncoder passwordEncoder;

	private final LoginThrottle throttle;

	TelproAuthenticationProvider(AppUserRepository users, ApiTokenService tokens, PasswordEncoder passwordEncoder,
			LoginThrottle throttle) {
		this.users = users;
		this.tokens = tokens;
		this.passwordEncoder = passwordEncoder;
		this.throttle = throttle;
		this.unknownUserHash = passwordEncoder.encode("unknown-user-timing-equaliser");
	}

	@Override
	@Transactional
	public Authentication authenticate(Authentication authentication) {
		String username = authentication.getName();
		String secret = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
		String address = remoteAddress(authentication);
		boolean token = ApiTokenService.looksLikeToken(secret);
		if (!token) {
			// tokens are never locked or slowed: 256 random bits are not guessed
			throttle.pause(throttle.checkAllowed(username, address));
		}
		Optional<AppUser> user = users.findByUsername(username);
		boolean valid;
		if (user.isEmpty()) {
			passwordEncoder.matches(secret, unknownUserHash);
			valid = false;
		}
		else if (token) {
			valid = tokens.authenticate(secret).filter(owner -> owner.getId().equals(user.get().getId())).isPresent();
		}
		else {
			valid = user.get().isEnabled() && passwordEncoder.matches(secret, user.get().getPasswordHash());
		}
		if (!valid) {
			throttle.recordFailure(username, address);
			throw new BadCredentialsException("Bad credentials");
		}
		throttle.recordSuccess(username, address);
		UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken
			.authenticated(principal(user.get()), null, principal(user.get()).getAuthorities());
		result.setDetails(authentication.getDetails());
		return result;
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

	static UserDetails principal(AppUser user) {
		return new User(user.getUsername(), "", user.isEnabled(), true, true, true,
				List.of(new SimpleGrantedAuthority(user.getRole().authority())));
	}

	static String remoteAddress(Authentication authentication) {
		return authentication.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress()
				: null;
	}

}
