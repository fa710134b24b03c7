package com.telpro.control.xcall;

import com.telpro.control.sync.SyncFailedException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/x-calls}: 201 {"id": "<32 hex>", "expires_in": 120}. */
@RestController
@RequestMapping("/api/x-calls")
class XCallApiController {

	private final XCallService xCalls;

	XCallApiController(XCallService xCalls) {
		this.xCalls = xCalls;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	XCallService.XCall create(@Valid @RequestBody(required = false) XCallRequest request) {
		return xCalls
			.create(request == null || request.trunk() == null || request.trunk().isBlank() ? null : request.trunk());
	}

	@ExceptionHandler(SyncFailedException.class)
	ResponseEntity<ProblemDetail> redisFailed(SyncFailedException ex) {
		return ResponseEntity.status(ex.getStatusCode()).body(ex.getBody());
	}

	record XCallRequest(@Size(max = 100) String trunk) {
	}

}
