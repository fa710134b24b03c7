package com.telpro.control.admin;

import com.telpro.control.subscriber.EdgeStatsService;
import com.telpro.control.subscriber.RegistrationService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The Registrations tab: registered contacts from the location table (like
 * {@code kamctl ul show}) and the live statistics panel read from Kamailio over JSON-RPC
 * (like {@code kamctl monitor}).
 */
@Controller
class RegistrationsAdminController {

	private final RegistrationService registrations;

	private final EdgeStatsService stats;

	RegistrationsAdminController(RegistrationService registrations, EdgeStatsService stats) {
		this.registrations = registrations;
		this.stats = stats;
	}

	@GetMapping("/admin-settings/registrations")
	String list(Model model) {
		model.addAttribute("registrations", registrations.current());
		model.addAttribute("stats", stats.current());
		return "registrations/list";
	}

}
