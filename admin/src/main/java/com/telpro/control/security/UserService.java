package com.telpro.control.security;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Users of the admin service. Every change publishes an {@link AuditableChange} (never a
 * password or its hash) and ends the changed user's open sessions, so a demoted, disabled
 * or deleted user or a changed password takes effect at once. At least one enabled admin
 * always remains.
 */
@Service
public class UserService {

	public static final int MIN_PASSWORD_LENGTH = 10;

	/** bcrypt reads at most 72 bytes; a longer password would be silently cut. */
	public static final int MAX_PASSWORD_BYTES = 72;

	private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

	private final AppUserRepository users;

	private final PasswordEncoder passwordEncoder;

	private final ApplicationEventPublisher events;

	private final SessionTerminator sessions;

	UserService(AppUserRepository users, PasswordEncoder passwordEncoder, ApplicationEventPublisher events,
			SessionTerminator sessions) {
		this.users = users;
		this.passwordEncoder = passwordEncoder;
		this.events = events;
		this.sessions = sessions;
	}

	@Transactional(readOnly = true)
	public List<UserView> list() {
		return users.findAllByOrderByUsernameAsc().stream().map(UserView::of).toList();
	}

	@Transactional(readOnly = true)
	public UserView get(long id) {
		return UserView.of(load(id));
	}

	@Transactional
	public UserView create(NewUser request) {
		String username = request.username() == null ? "" : request.username().trim();
		if (!USERNAME.matcher(username).matches()) {
			throw UserProblem.invalid("username",
					"must be 1-64 characters: letters, digits, '.', '_', '@', '-', starting with a letter or digit");
		}
		if (request.role() == null) {
			throw UserProblem.invalid("role", "must be one of admin, viewer");
		}
		checkPassword(request.password(), username);
		if (users.existsByUsername(username)) {
			throw UserProblem.conflict("username", "a user with this name exists already");
		}
		AppUser user;
		try {
			user = users
				.saveAndFlush(new AppUser(username, passwordEncoder.encode(request.password()), request.role()));
		}
		catch (DataIntegrityViolationException ex) {
			throw UserProblem.conflict("username", "a user with this name exists already");
		}
		events.publishEvent(
				new AuditableChange("user.create", "user", user.getId().toString(), null, snapshot(user, false)));
		return UserView.of(user);
	}

	@Transactional
	public UserView update(long id, UserChange change) {
		AppUser user = load(id);
		Map<String, Object> before = snapshot(user, false);
		boolean passwordChanged = change.password() != null && !change.password().isEmpty();
		if (passwordChanged) {
			checkPassword(change.password(), user.getUsername());
			user.setPasswordHash(passwordEncoder.encode(change.password()));
		}
		if (change.role() != null) {
			user.setRole(change.role());
		}
		if (change.enabled() != null) {
			user.setEnabled(change.enabled());
		}
		users.saveAndFlush(user);
		requireAnAdmin();
		Map<String, Object> after = snapshot(user, passwordChanged);
		if (!before.equals(after)) {
			events.publishEvent(new AuditableChange("user.update", "user", user.getId().toString(), before, after));
			sessions.endSessionsOf(user.getUsername());
		}
		return UserView.of(user);
	}

	/**
	 * A signed-in user of any role changes their own password, proving the current one.
	 * Like every password change it ends the user's sessions.
	 * @throws UserProblem when the current password is wrong or the new one too weak
	 */
	@Transactional
	public UserView changeOwnPassword(String username, String currentPassword, String newPassword) {
		AppUser user = users.findByUsername(username).orElseThrow(() -> UserProblem.notFound("user " + username));
		if (currentPassword == null || !passwordEncoder.matches(currentPassword, user.getPasswordHash())) {
			throw UserProblem.invalid("currentPassword", "the current password is wrong");
		}
		return update(user.getId(), new UserChange(null, null, newPassword));
	}

	@Transactional
	public void delete(long id) {
		AppUser user = load(id);
		Map<String, Object> before = snapshot(user, false);
		users.delete(user);
		users.flush();
		requireAnAdmin();
		events.publishEvent(new AuditableChange("user.delete", "user", user.getId().toString(), before, null));
		sessions.endSessionsOf(user.getUsername());
	}

	private void requireAnAdmin() {
		if (users.countByRoleAndEnabledTrue(Role.ADMIN) == 0) {
			throw UserProblem.conflict(null, "at least one enabled admin must remain");
		}
	}

	private AppUser load(long id) {
		return users.findById(id).orElseThrow(() -> UserProblem.notFound("user " + id));
	}

	/**
	 * Length, bcrypt's byte limit, and strength ({@link PasswordStrength}; the user name
	 * counts as known).
	 */
	static void checkPassword(String password, String username) {
		if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
			throw UserProblem.invalid("password", "must be at least " + MIN_PASSWORD_LENGTH + " characters");
		}
		if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
			throw UserProblem.invalid("password", "must be at most " + MAX_PASSWORD_BYTES + " bytes (UTF-8)");
		}
		PasswordStrength.problem(password, username).ifPresent(problem -> {
			throw UserProblem.invalid("password", problem);
		});
	}

	/**
	 * What the audit log keeps of a user: never the password or its hash, only whether it
	 * changed.
	 */
	private static Map<String, Object> snapshot(AppUser user, boolean passwordChanged) {
		Map<String, Object> snapshot = new LinkedHashMap<>();
		snapshot.put("id", user.getId());
		snapshot.put("username", user.getUsername());
		snapshot.put("role", user.getRole().wire());
		snapshot.put("enabled", user.isEnabled());
		snapshot.put("password_changed", passwordChanged);
		return snapshot;
	}

}
