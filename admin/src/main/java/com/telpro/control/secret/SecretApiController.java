package com.telpro.control.secret;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/secrets}: upload, list, show, delete. No endpoint returns the stored
 * material; a private key cannot be read back at all.
 */
@RestController
@RequestMapping("/api/secrets")
class SecretApiController {

	private final PlatformSecretService secrets;

	SecretApiController(PlatformSecretService secrets) {
		this.secrets = secrets;
	}

	@GetMapping
	List<SecretView> list() {
		return secrets.list();
	}

	@GetMapping("/{id}")
	SecretView get(@PathVariable long id) {
		return secrets.get(id);
	}

	@PostMapping
	ResponseEntity<SecretView> upload(@Valid @RequestBody SecretUpload upload) {
		SecretView created = secrets.upload(upload);
		return ResponseEntity.created(URI.create("/api/secrets/" + created.id())).body(created);
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable long id) {
		secrets.delete(id);
		return ResponseEntity.noContent().build();
	}

}
