package com.telpro.control.subscriber;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The operator views as JSON: {@code kamctl ul show} and {@code kamctl monitor}. */
@RestController
class RegistrationApiController {

	private final RegistrationService registrations;

	private final EdgeStatsService stats;

	RegistrationApiController(RegistrationService registrations, EdgeStatsService stats) {
		this.registrations = registrations;
		this.stats = stats;
	}

	@GetMapping("/api/registrations")
	List<Registration> registrations() {
		return registrations.current();
	}

	@GetMapping("/api/edge-stats")
	EdgeStats stats() {
		return stats.current();
	}

}
