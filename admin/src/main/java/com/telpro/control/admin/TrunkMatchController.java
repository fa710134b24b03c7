package com.telpro.control.admin;

import java.util.List;

import com.telpro.control.config.InvalidInputException;
import com.telpro.control.sync.MatchService;
import com.telpro.control.sync.SyncFailedException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * "Which trunk gets this call?" on the SIP Trunks tab: the page of POST
 * /api/trunks/match.
 */
@Controller
class TrunkMatchController {

	private static final String VIEW = "trunks/match";

	private final MatchService matches;

	TrunkMatchController(MatchService matches) {
		this.matches = matches;
	}

	@GetMapping(TrunkAdminController.LIST + "/trunks/match")
	String form(Model model) {
		model.addAttribute("match", new TrunkMatchForm());
		return VIEW;
	}

	@PostMapping(TrunkAdminController.LIST + "/trunks/match")
	String explain(@ModelAttribute("match") TrunkMatchForm form, Model model) {
		try {
			model.addAttribute("answer", matches.explain(form.toRequest()));
		}
		catch (InvalidInputException ex) {
			model.addAttribute("errors",
					ex.errors()
						.getFieldErrors()
						.stream()
						.map(e -> e.getField() + ": " + e.getDefaultMessage())
						.toList());
		}
		catch (SyncFailedException ex) {
			model.addAttribute("errors", List.of(String.valueOf(ex.getBody().getDetail())));
		}
		return VIEW;
	}

}
