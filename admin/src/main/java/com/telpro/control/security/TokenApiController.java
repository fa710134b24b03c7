package com.telpro.control.security;

import java.net.URI;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The signed-in user's own API tokens: another user's token is 404 here, as if it did not
 * exist (admins revoke others' tokens at {@code DELETE
 * /api/users/{id}/tokens/{tokenId}}). A token's value is in the creation response only.
 */
@RestController
@RequestMapping("/api/tokens")
class TokenApiController {

	private final ApiTokenService tokens;

	TokenApiController(ApiTokenService tokens) {
		this.tokens = tokens;
	}

	@GetMapping
	List<TokenView> mine() {
		return tokens.listForCurrentUser();
	}

	@GetMapping("/{id}")
	TokenView get(@PathVariable long id) {
		return tokens.getOwn(id);
	}

	@PostMapping
	@PreAuthorize("hasRole('ADMIN')")
	ResponseEntity<CreatedToken> create(@RequestBody UserApiController.CreateTokenRequest request) {
		CreatedToken created = tokens.createForCurrentUser(request.name());
		return ResponseEntity.created(URI.create("/api/tokens/" + created.metadata().id())).body(created);
	}

	/** Revokes one of the caller's own tokens (it stays listed, marked revoked). */
	@DeleteMapping("/{id}")
	@PreAuthorize("hasRole('ADMIN')")
	TokenView revoke(@PathVariable long id) {
		return tokens.revokeOwn(id);
	}

}
