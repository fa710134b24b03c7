package com.telpro.control.sync;

import java.security.Principal;

import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/sync} publishes every enabled trunk; {@code GET /api/sync/status} shows drift. */
@RestController
@RequestMapping("/api/sync")
class SyncApiController {

	private final SyncService sync;

	SyncApiController(SyncService sync) {
		this.sync = sync;
	}

	@PostMapping
	SyncResult syncAll(Principal principal) {
		return sync.syncAll(Actors.of(principal));
	}

	@GetMapping("/status")
	SyncStatus status() {
		return sync.status();
	}

	/** Handled here so no catch-all advice can turn a Redis outage into a 500. */
	@ExceptionHandler(SyncFailedException.class)
	ResponseEntity<ProblemDetail> syncFailed(SyncFailedException ex) {
		return ResponseEntity.status(ex.getStatusCode()).body(ex.getBody());
	}

}
