package com.telpro.control.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-user API tokens: {@code tp_} followed by 256 random bits (base64url). Shown once at
 * creation, stored as a SHA-256 hash, looked up on every request, so a revocation applies
 * to the very next request.
 */
@Service
public class ApiTokenService {

	static final String TOKEN_PREFIX = "tp_";

	private static final int PREFIX_SHOWN = 10;

	private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

	private final ApiTokenRepository tokens;

	private final AppUserRepository users;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	ApiTokenService(ApiTokenRepository tokens, AppUserRepository users, ApplicationEventPublisher events,
			ObjectProvider<Clock> clock) {
		this.tokens = tokens;
		this.users = users;
		this.events = events;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/** Creates a token for the user; the returned value is the only copy of the token. */
	@Transactional
	public CreatedToken create(long userId, String name) {
		AppUser user = users.findById(userId).orElseThrow(() -> UserProblem.notFound("user " + userId));
		String label = name == null ? "" : name.trim();
		if (label.isEmpty() || label.length() > 100) {
			throw UserProblem.invalid("name", "must be 1-100 characters");
		}
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		ApiToken saved = tokens.saveAndFlush(
				new ApiToken(user.getId(), label, hash(token), token.substring(0, PREFIX_SHOWN), clock.instant()));
		events.publishEvent(new AuditableChange("token.create", "api_token", saved.getId().toString(), null,
				snapshot(saved, user)));
		return new CreatedToken(TokenView.of(saved), token);
	}

	/** Creates a token for the signed-in user. */
	@Transactional
	public CreatedToken createForCurrentUser(String name) {
		return create(currentUser().getId(), name);
	}

	@Transactional(readOnly = true)
	public List<TokenView> listForUser(long userId) {
		users.findById(userId).orElseThrow(() -> UserProblem.notFound("user " + userId));
		return tokens.findAllByUserIdOrderByCreatedAtDesc(userId).stream().map(TokenView::of).toList();
	}

	@Transactional(readOnly = true)
	public List<TokenView> listForCurrentUser() {
		return listForUser(currentUser().getId());
	}

	/**
	 * One of the signed-in user's own tokens; another user's is "not found", as if it did
	 * not exist.
	 */
	@Transactional(readOnly = true)
	public TokenView getOwn(long tokenId) {
		return TokenView.of(loadOf(currentUser().getId(), tokenId));
	}

	/** Revokes one of the signed-in user's own tokens; another user's is "not found". */
	@Transactional
	public TokenView revokeOwn(long tokenId) {
		return revoke(loadOf(currentUser().getId(), tokenId));
	}

	/** Revokes a token of the given user (the admin's way to revoke others' tokens). */
	@Transactional
	public TokenView revokeForUser(long userId, long tokenId) {
		return revoke(loadOf(userId, tokenId));
	}

	/** From now on the token authenticates nothing. Revoking twice changes nothing. */
	private TokenView revoke(ApiToken token) {
		if (!token.isRevoked()) {
			AppUser owner = users.findById(token.getUserId()).orElseThrow();
			Map<String, Object> before = snapshot(token, owner);
			token.revoke(clock.instant());
			tokens.saveAndFlush(token);
			events.publishEvent(new AuditableChange("token.revoke", "api_token", token.getId().toString(), before,
					snapshot(token, owner)));
		}
		return TokenView.of(token);
	}

	/**
	 * The enabled user a live token belongs to, if any; notes when the token was last
	 * used.
	 */
	@Transactional
	Optional<AppUser> authenticate(String rawToken) {
		if (rawToken == null || !rawToken.startsWith(TOKEN_PREFIX)) {
			return Optional.empty();
		}
		return tokens.findByTokenHash(hash(rawToken)).filter(token -> !token.isRevoked()).flatMap(token -> {
			Instant now = clock.instant();
			if (token.getLastUsedAt() == null || token.getLastUsedAt().plus(LAST_USED_PRECISION).isBefore(now)) {
				token.setLastUsedAt(now);
			}
			return users.findById(token.getUserId()).filter(AppUser::isEnabled);
		});
	}

	static boolean looksLikeToken(String value) {
		return value != null && value.startsWith(TOKEN_PREFIX);
	}

	private ApiToken loadOf(long userId, long tokenId) {
		return tokens.findById(tokenId)
			.filter(token -> token.getUserId().equals(userId))
			.orElseThrow(() -> UserProblem.notFound("token " + tokenId));
	}

	private AppUser currentUser() {
		String name = AuditListener.currentActor();
		return users.findByUsername(name).orElseThrow(() -> UserProblem.notFound("user " + name));
	}

	static String hash(String token) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, Object> snapshot(ApiToken token, AppUser owner) {
		Map<String, Object> snapshot = new LinkedHashMap<>();
		snapshot.put("id", token.getId());
		snapshot.put("user", owner.getUsername());
		snapshot.put("name", token.getName());
		snapshot.put("prefix", token.getTokenPrefix());
		snapshot.put("revoked", token.isRevoked());
		return snapshot;
	}

}
