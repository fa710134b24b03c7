package com.telpro.control.admin;

import java.util.Locale;

import com.telpro.control.config.ProblemException;
import com.telpro.control.sync.MatchService;
import com.telpro.control.sync.SyncFailedException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
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

	private final FormErrors formErrors;

	TrunkMatchController(MatchService matches, FormErrors formErrors) {
		this.matches = matches;
		this.formErrors = formErrors;
	}

	@GetMapping(TrunkAdminController.LIST + "/trunks/match")
	String form(Model model) {
		model.addAttribute("match", new TrunkMatchForm());
		return VIEW;
	}

	@PostMapping(TrunkAdminController.LIST + "/trunks/match")
	String explain(@ModelAttribute("match") TrunkMatchForm form, BindingResult result, Model model, Locale locale) {
		try {
			model.addAttribute("answer", matches.explain(form.toRequest()));
		}
		catch (ProblemException ex) {
			formErrors.reject(ex, result, locale);
		}
		catch (SyncFailedException ex) {
			// the live generation could not be read: not the request's fault
			result.reject("unavailable", String.valueOf(ex.getBody().getDetail()));
		}
		return VIEW;
	}

}
