package com.telpro.control.sync;

import java.security.Principal;

import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/sync} publishes every enabled trunk; {@code GET /api/sync/status}
 * shows drift; {@code GET /api/sync/pending} names what the next sync would change.
 */
@RestController
@RequestMapping("/api/sync")
class SyncApiController {

	private final SyncService sync;

	private final PendingChanges pending;

	SyncApiController(SyncService sync, PendingChanges pending) {
		this.sync = sync;
		this.pending = pending;
	}

	@PostMapping
	SyncResult syncAll(Principal principal) {
		return sync.syncAll(Actors.of(principal));
	}

	@GetMapping("/status")
	SyncStatus status() {
		return sync.status();
	}

	/**
	 * Each trunk the next sync would add, change or remove, with the fields that differ
	 * from the live generation.
	 */
	@GetMapping("/pending")
	PendingChanges.Pending pending() {
		return pending.pending();
	}

	/** Handled here so no catch-all advice can turn a Redis outage into a 500. */
	@ExceptionHandler(SyncFailedException.class)
	ResponseEntity<ProblemDetail> syncFailed(SyncFailedException ex) {
		return ResponseEntity.status(ex.getStatusCode()).body(ex.getBody());
	}

}
