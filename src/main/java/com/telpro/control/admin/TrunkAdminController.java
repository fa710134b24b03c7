package com.telpro.control.admin;

import java.security.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.telpro.control.config.ConflictException;
import com.telpro.control.config.InvalidInputException;
import com.telpro.control.config.NotFoundException;
import com.telpro.control.sync.SyncFailedException;
import com.telpro.control.sync.SyncResult;
import com.telpro.control.sync.SyncService;
import com.telpro.control.trunk.AuthMethod;
import com.telpro.control.trunk.Codecs;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.PeerNameVerification;
import com.telpro.control.trunk.SrtpMode;
import com.telpro.control.trunk.TrunkLoadLookup;
import com.telpro.control.trunk.TrunkResponse;
import com.telpro.control.trunk.TrunkSpec;
import com.telpro.control.trunk.TrunkService;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ExceptionHandler;
import com.telpro.control.lint.LintService;
import com.telpro.control.subscriber.UnmatchedSourceService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The "SIP Trunks" tab of the admin settings: the trunk table, the create and edit form, enable,
 * disable and delete. Every rule is the service's; a rejected save re-renders the form with the
 * message beside each field and the operator's input kept (except the password, never echoed).
 */
@Controller
class TrunkAdminController {

	static final String LIST = "/admin-settings";

	private static final String FORM_VIEW = "trunks/form";

	/** The name of the "Save and sync" submit button. */
	static final String SAVE_AND_SYNC = "saveAndSync";

	private final TrunkService trunks;

	private final MessageSource messages;

	private final SyncService sync;

	private final TrunkLoadLookup loads;

	private final LintService lint;

	private final UnmatchedSourceService unmatched;

	TrunkAdminController(TrunkService trunks, MessageSource messages, SyncService sync, TrunkLoadLookup loads,
			LintService lint, UnmatchedSourceService unmatched) {
		this.loads = loads;
		this.trunks = trunks;
		this.messages = messages;
		this.sync = sync;
		this.lint = lint;
		this.unmatched = unmatched;
	}

	@InitBinder("trunk")
	void initBinder(WebDataBinder binder) {
		binder.setDisallowedFields("id", "authPassSet");
	}

	@ModelAttribute
	void choices(Model model) {
		model.addAttribute("identifyMethods", List.of(IdentifyMethod.values()).stream().map(IdentifyMethod::wire).toList());
		model.addAttribute("authMethods", List.of(AuthMethod.values()).stream().map(AuthMethod::wire).toList());
		model.addAttribute("srtpModes", List.of(SrtpMode.values()).stream().map(SrtpMode::wire).toList());
		model.addAttribute("peerNameModes",
				List.of(PeerNameVerification.values()).stream().map(PeerNameVerification::wire).toList());
		model.addAttribute("knownCodecs", Codecs.KNOWN);
		model.addAttribute("limitResponses", TrunkForm.LIMIT_RESPONSES);
	}

	@GetMapping(LIST)
	String list(Model model) {
		List<TrunkResponse> all = trunks.list();
		Map<Long, long[]> totals = loads.totals(all.stream().map(TrunkResponse::id).toList());
		model.addAttribute("rows", all.stream().map(t -> TrunkRow.of(t, totals.get(t.id()))).toList());
		model.addAttribute("lint", lint.lint());
		model.addAttribute("unmatched", unmatched.list());
		return "trunks/list";
	}

	@GetMapping(LIST + "/trunks/new")
	String newForm(Model model, @RequestParam(name = "source", required = false) String source,
			@RequestParam(name = "from_domain", required = false) String fromDomain) {
		model.addAttribute("trunk", TrunkForm.fromUnmatched(source, fromDomain));
		return FORM_VIEW;
	}

	@PostMapping(LIST + "/trunks")
	String create(@ModelAttribute("trunk") TrunkForm form, BindingResult result, RedirectAttributes redirect,
			Locale locale, @RequestParam(name = SAVE_AND_SYNC, defaultValue = "false") boolean andSync,
			Principal principal) {
		TrunkSpec request = form.toSpec(result);
		if (result.hasErrors()) {
			return FORM_VIEW;
		}
		try {
			TrunkResponse created = trunks.create(request);
			flash(redirect, "flash.trunk.created", created.name(), locale);
			syncIfAsked(andSync, created.name(), principal, redirect, locale);
			return "redirect:" + LIST;
		}
		catch (InvalidInputException | ConflictException ex) {
			reject(ex, result);
			return FORM_VIEW;
		}
	}

	@GetMapping(LIST + "/trunks/{id}")
	String editForm(@PathVariable long id, Model model) {
		TrunkResponse trunk = trunks.get(id);
		model.addAttribute("trunk", TrunkForm.of(trunk));
		model.addAttribute("trunkId", id);
		model.addAttribute("load", loads.load(id, trunk.spec().maxConcurrentCalls(), trunk.spec().maxCallsPerSecond()));
		return FORM_VIEW;
	}

	@PostMapping(LIST + "/trunks/{id}")
	String update(@PathVariable long id, @ModelAttribute("trunk") TrunkForm form, BindingResult result, Model model,
			RedirectAttributes redirect, Locale locale,
			@RequestParam(name = SAVE_AND_SYNC, defaultValue = "false") boolean andSync, Principal principal) {
		model.addAttribute("trunkId", id);
		form.setAuthPassSet(trunks.get(id).authPassSet());
		TrunkSpec request = form.toSpec(result);
		if (result.hasErrors()) {
			return FORM_VIEW;
		}
		try {
			TrunkResponse updated = trunks.replace(id, request);
			flash(redirect, "flash.trunk.updated", updated.name(), locale);
			syncIfAsked(andSync, updated.name(), principal, redirect, locale);
			return "redirect:" + LIST;
		}
		catch (InvalidInputException | ConflictException ex) {
			reject(ex, result);
			return FORM_VIEW;
		}
	}

	@PostMapping(LIST + "/trunks/{id}/enable")
	String enable(@PathVariable long id, RedirectAttributes redirect, Locale locale) {
		flash(redirect, "flash.trunk.enabled", trunks.setEnabled(id, true).name(), locale);
		return "redirect:" + LIST;
	}

	@PostMapping(LIST + "/trunks/{id}/disable")
	String disable(@PathVariable long id, RedirectAttributes redirect, Locale locale) {
		flash(redirect, "flash.trunk.disabled", trunks.setEnabled(id, false).name(), locale);
		return "redirect:" + LIST;
	}

	@PostMapping(LIST + "/trunks/{id}/delete")
	String delete(@PathVariable long id, RedirectAttributes redirect, Locale locale) {
		String name = trunks.get(id).name();
		trunks.delete(id);
		flash(redirect, "flash.trunk.deleted", name, locale);
		return "redirect:" + LIST;
	}

	@ExceptionHandler(NotFoundException.class)
	String notFound(RedirectAttributes redirect, Locale locale) {
		redirect.addFlashAttribute("error", messages.getMessage("flash.trunk.gone", null, locale));
		return "redirect:" + LIST;
	}

	/** The service's field errors, beside the form's fields ({@code allowedIps[2]} → allowedIps). */
	private static void reject(RuntimeException ex, BindingResult result) {
		if (ex instanceof InvalidInputException invalid) {
			for (FieldError error : invalid.errors().getFieldErrors()) {
				addError(result, error.getField(), error.getDefaultMessage());
			}
		}
		else {
			addError(result, ((ConflictException) ex).field(), ex.getMessage());
		}
	}

	private static void addError(BindingResult result, String field, String message) {
		String formField = field == null ? null : field.replaceFirst("\\[.*$", "");
		if (formField == null || "version".equals(formField)) {
			result.reject("trunk.invalid", message);
		}
		else {
			result.rejectValue(formField, "trunk.invalid", message);
		}
	}

	/**
	 * "Save and sync": the explicit sync step, right after a successful save. Plain Save never
	 * syncs; a failed sync leaves the trunk saved and says so.
	 */
	private void syncIfAsked(boolean andSync, String name, Principal principal, RedirectAttributes redirect,
			Locale locale) {
		if (!andSync) {
			return;
		}
		try {
			SyncResult result = sync.syncAll(principal == null ? "anonymous" : principal.getName());
			redirect.addFlashAttribute("message", messages.getMessage("flash.trunk.synced",
					new Object[] { name, result.generation() }, locale));
		}
		catch (SyncFailedException ex) {
			redirect.addFlashAttribute("error",
					messages.getMessage("flash.trunk.syncFailed", new Object[] { name, ex.detail() }, locale));
		}
	}

	private void flash(RedirectAttributes redirect, String code, String name, Locale locale) {
		redirect.addFlashAttribute("message", messages.getMessage(code, new Object[] { name }, locale));
	}

}
