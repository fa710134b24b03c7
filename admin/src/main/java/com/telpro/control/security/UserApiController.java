package com.telpro.control.security;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Users and their API tokens. Reading needs any signed-in user; changes need the admin
 * role.
 */
@RestController
@RequestMapping("/api/users")
class UserApiController {

	private final UserService users;

	private final ApiTokenService tokens;

	UserApiController(UserService users, ApiTokenService tokens) {
		this.users = users;
		this.tokens = tokens;
	}

	@GetMapping
	List<UserView> list() {
		return users.list();
	}

	@GetMapping("/{id}")
	UserView get(@PathVariable long id) {
		return users.get(id);
	}

	@PostMapping
	@PreAuthorize("hasRole('ADMIN')")
	ResponseEntity<UserView> create(@RequestBody CreateUserRequest request) {
		UserView created = users.create(new NewUser(request.username(), request.password(), request.role()));
		return ResponseEntity.created(URI.create("/api/users/" + created.id())).body(created);
	}

	@PatchMapping("/{id}")
	@PreAuthorize("hasRole('ADMIN')")
	UserView update(@PathVariable long id, @RequestBody UpdateUserRequest request) {
		return users.update(id, new UserChange(request.role(), request.enabled(), request.password()));
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@PreAuthorize("hasRole('ADMIN')")
	void delete(@PathVariable long id) {
		users.delete(id);
	}

	@GetMapping("/{id}/tokens")
	List<TokenView> tokens(@PathVariable long id) {
		return tokens.listForUser(id);
	}

	@PostMapping("/{id}/tokens")
	@PreAuthorize("hasRole('ADMIN')")
	ResponseEntity<CreatedToken> createToken(@PathVariable long id, @RequestBody CreateTokenRequest request) {
		CreatedToken created = tokens.create(id, request.name());
		// /api/tokens/{id} shows only the caller's own tokens; this user's are listed
		// here
		return ResponseEntity.created(URI.create("/api/users/" + id + "/tokens")).body(created);
	}

	/** Revokes one of this user's tokens (it stays listed, marked revoked). */
	@DeleteMapping("/{id}/tokens/{tokenId}")
	@PreAuthorize("hasRole('ADMIN')")
	TokenView revokeToken(@PathVariable long id, @PathVariable long tokenId) {
		return tokens.revokeForUser(id, tokenId);
	}

	record CreateUserRequest(String username, String password, Role role) {

		@Override
		public String toString() {
			return "CreateUserRequest[username=" + username + ", role=" + role + "]";
		}

	}

	record UpdateUserRequest(Role role, Boolean enabled, String password) {

		@Override
		public String toString() {
			return "UpdateUserRequest[role=" + role + ", enabled=" + enabled + "]";
		}

	}

	record CreateTokenRequest(String name) {
	}

}
