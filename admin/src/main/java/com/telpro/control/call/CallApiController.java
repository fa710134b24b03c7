package com.telpro.control.call;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Call records, newest first, with the Calls tab's filters: trunk, outcome, reason code,
 * edge, time range ({@code from} inclusive, {@code to} exclusive) and {@code q} (external
 * call id, Call-ID or number).
 */
@RestController
@RequestMapping("/api/calls")
class CallApiController {

	private final CallRecordService calls;

	CallApiController(CallRecordService calls) {
		this.calls = calls;
	}

	@GetMapping
	CallPage search(@RequestParam(required = false) String trunk, @RequestParam(required = false) String outcome,
			@RequestParam(required = false) String reason, @RequestParam(required = false) String edge,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String q, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "" + CallRecordService.DEFAULT_PAGE_SIZE) int size) {
		return calls.search(calls.query(trunk, outcome, reason, edge, from, to, q), page, size);
	}

	@GetMapping("/{id}")
	CallRecord one(@PathVariable long id) {
		return calls.find(id);
	}

}
