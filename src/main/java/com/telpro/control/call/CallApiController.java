package com.telpro.control.call;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Recent calls through the edge, newest first, optionally of one trunk. */
@RestController
@RequestMapping("/api/calls")
class CallApiController {

	private final CallRecordService calls;

	CallApiController(CallRecordService calls) {
		this.calls = calls;
	}

	@GetMapping
	List<CallRecord> recent(@RequestParam(required = false) String trunk,
			@RequestParam(defaultValue = "100") int limit) {
		return calls.recent(trunk, limit);
	}

}
