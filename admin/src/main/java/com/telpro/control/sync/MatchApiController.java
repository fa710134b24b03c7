package com.telpro.control.sync;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

/**
 * {@code POST /api/trunks/match}: which trunk the edge gives a request, and why not the
 * others.
 */
@RestController
class MatchApiController {

	private final MatchService matches;

	MatchApiController(MatchService matches) {
		this.matches = matches;
	}

	@PostMapping("/api/trunks/match")
	MatchAnswer match(@Valid @RequestBody MatchRequest request) {
		return matches.explain(request);
	}

}
