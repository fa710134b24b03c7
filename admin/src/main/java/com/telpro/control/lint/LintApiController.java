package com.telpro.control.lint;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/trunks/lint}: problems of the trunk set (shadowed trunks, ambiguous
 * priorities, ...).
 */
@RestController
class LintApiController {

	private final LintService lint;

	LintApiController(LintService lint) {
		this.lint = lint;
	}

	@GetMapping("/api/trunks/lint")
	List<LintFinding> lint() {
		return lint.lint();
	}

}
