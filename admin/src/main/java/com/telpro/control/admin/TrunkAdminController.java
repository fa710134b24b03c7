package com.telpro.control.admin;

import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.telpro.control.config.NotFoundException;
import com.telpro.control.config.ProblemException;
import com.telpro.control.lint.LintService;
import com.telpro.control.security.ExpiredSessionForms;
import com.telpro.control.subscriber.UnmatchedSourceService;
import com.telpro.control.sync.PendingChanges;
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
import com.telpro.control.trunk.TrunkSearch;
import com.telpro.control.trunk.TrunkService;
import com.telpro.control.trunk.TrunkSpec;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.PropertyValue;
import org.springframework.context.MessageSource;
import org.springframework.data.domain.Page;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.validation.BindingResult;
import org.springframework.validation.MapBindingResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The "SIP Trunks" tab of the admin settings: the trunk table, the create and edit form,
 * enable, disable and delete. Every rule is the service's; a rejected save re-renders the
 * form with the message beside each field and the operator's input kept (except the
 * password, never echoed).
 */
@Controller
class TrunkAdminController {

	static final String LIST = "/admin-settings";

	private static final String FORM_VIEW = "trunks/form";

	/**
	 * Marked * on the form; the others are required only with certain choices, which
	 * their help says.
	 */
	static final Set<String> REQUIRED_FIELDS = Set.of("name", "priority", "authMethod", "srtpMode");

	/** The choices of the limit response, in the order shown; empty: the default. */
	private static final List<String> LIMIT_RESPONSES = List.of("", "486", "480", "503");

	/** The name of the "Save and sync" submit button. */
	static final String SAVE_AND_SYNC = "saveAndSync";

	private final TrunkService trunks;

	private final MessageSource messages;

	private final SyncService sync;

	private final TrunkLoadLookup loads;

	private final LintService lint;

	private final UnmatchedSourceService unmatched;

	private final PendingChanges pending;

	private final ExpiredSessionForms expiredForms;

	private final FormErrors formErrors;

	private final TrunkFormValues formValues;

	TrunkAdminController(TrunkService trunks, MessageSource messages, SyncService sync, TrunkLoadLookup loads,
			LintService lint, UnmatchedSourceService unmatched, PendingChanges pending,
			ExpiredSessionForms expiredForms, FormErrors formErrors, TrunkFormValues formValues) {
		this.trunks = trunks;
		this.messages = messages;
		this.sync = sync;
		this.loads = loads;
		this.lint = lint;
		this.unmatched = unmatched;
		this.pending = pending;
		this.expiredForms = expiredForms;
		this.formErrors = formErrors;
		this.formValues = formValues;
	}

	@ModelAttribute
	void choices(Model model) {
		model.addAttribute("identifyMethods",
				List.of(IdentifyMethod.values()).stream().map(IdentifyMethod::wire).toList());
		model.addAttribute("authMethods", List.of(AuthMethod.values()).stream().map(AuthMethod::wire).toList());
		model.addAttribute("srtpModes", List.of(SrtpMode.values()).stream().map(SrtpMode::wire).toList());
		model.addAttribute("peerNameModes",
				List.of(PeerNameVerification.values()).stream().map(PeerNameVerification::wire).toList());
		model.addAttribute("knownCodecs", Codecs.KNOWN);
		model.addAttribute("limitResponses", LIMIT_RESPONSES);
		model.addAttribute("requiredFields", REQUIRED_FIELDS);
	}

	@GetMapping(LIST)
	String list(@RequestParam(name = "q", required = false) String text,
			@RequestParam(required = false) Boolean enabled,
			@RequestParam(name = "auth", required = false) String authMethod,
			@RequestParam(name = "tls", required = false) String tlsMode,
			@RequestParam(required = false) Boolean internal, @RequestParam(defaultValue = "priority") String sort,
			@RequestParam(defaultValue = "asc") String dir, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "" + TrunkListPage.DEFAULT_SIZE) int size, Model model) {
		TrunkSearch search = new TrunkSearch(text, enabled, authMethod, tlsMode, internal,
				TrunkSearch.SORTS.contains(sort) ? sort : "priority", "desc".equals(dir));
		Page<TrunkResponse> found = trunks.search(search, Math.max(page, 0), TrunkListPage.size(size));
		Set<Long> unsynced;
		try {
			Map<Long, Long> versions = new HashMap<>();
			found.getContent().forEach(t -> versions.put(t.id(), t.version()));
			unsynced = pending.unsynced(versions);
		}
		catch (SyncFailedException ex) {
			unsynced = null;
			model.addAttribute("syncUnknown", ex.detail());
		}
		Map<Long, long[]> totals = loads.totals(found.getContent().stream().map(TrunkResponse::id).toList());
		model.addAttribute("rows", found.getContent().stream().map(t -> TrunkRow.of(t, totals.get(t.id()))).toList());
		model.addAttribute("lint", lint.lint());
		model.addAttribute("unmatched", unmatched.list());
		model.addAttribute("list", new TrunkListPage(search, found, unsynced == null ? Set.of() : unsynced));
		model.addAttribute("tlsModes", TrunkSearch.TLS_MODES);
		return "trunks/list";
	}

	@GetMapping(LIST + "/trunks/new")
	String newForm(Model model, HttpServletRequest request,
			@RequestParam(name = "source", required = false) String source,
			@RequestParam(name = "from_domain", required = false) String fromDomain) {
		form(model, restored(formValues.of(newTrunk(source, fromDomain), false), LIST + "/trunks", request, model));
		return FORM_VIEW;
	}

	@PostMapping(LIST + "/trunks")
	String create(@RequestParam MultiValueMap<String, String> params, Model model, RedirectAttributes redirect,
			Locale locale, @RequestParam(name = SAVE_AND_SYNC, defaultValue = "false") boolean andSync,
			Principal principal) {
		Map<String, Object> values = formValues.posted(formValues.of(newTrunk(null, null), false), params);
		return save(values, trunks::create, "flash.trunk.created", model, redirect, locale, andSync, principal);
	}

	@GetMapping(LIST + "/trunks/{id}")
	String editForm(@PathVariable long id, Model model, HttpServletRequest request) {
		TrunkResponse trunk = trunks.get(id);
		model.addAttribute("trunkId", id);
		model.addAttribute("load", loads.load(id, trunk.spec().maxConcurrentCalls(), trunk.spec().maxCallsPerSecond()));
		form(model, restored(formValues.of(trunk.spec(), trunk.authPassSet()), LIST + "/trunks/" + id, request, model));
		return FORM_VIEW;
	}

	@PostMapping(LIST + "/trunks/{id}")
	String update(@PathVariable long id, @RequestParam MultiValueMap<String, String> params, Model model,
			RedirectAttributes redirect, Locale locale,
			@RequestParam(name = SAVE_AND_SYNC, defaultValue = "false") boolean andSync, Principal principal) {
		model.addAttribute("trunkId", id);
		Map<String, Object> values = formValues
			.posted(formValues.of(newTrunk(null, null), trunks.get(id).authPassSet()), params);
		return save(values, spec -> trunks.replace(id, spec), "flash.trunk.updated", model, redirect, locale, andSync,
				principal);
	}

	/**
	 * Saves the form's trunk, then back to the list (and syncs when asked); refused, the
	 * form again with the service's problems beside their fields.
	 */
	private String save(Map<String, Object> values, Function<TrunkSpec, TrunkResponse> saving, String savedMessage,
			Model model, RedirectAttributes redirect, Locale locale, boolean andSync, Principal principal) {
		BindingResult result = form(model, values);
		try {
			TrunkResponse saved = saving.apply(formValues.spec(values));
			flash(redirect, savedMessage, saved.name(), locale);
			syncIfAsked(andSync, saved.name(), principal, redirect, locale);
			return "redirect:" + LIST;
		}
		catch (ProblemException ex) {
			formErrors.reject(ex, result, locale);
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

	/**
	 * The input of a form that was sent after the session expired
	 * (security/ExpiredSessionForms), over the stored trunk as the POST would have taken
	 * it; not saved.
	 */
	private Map<String, Object> restored(Map<String, Object> values, String action, HttpServletRequest request,
			Model model) {
		return expiredForms.take(request, action).map(fields -> {
			model.addAttribute("restored", true);
			MultiValueMap<String, String> params = new LinkedMultiValueMap<>();
			for (PropertyValue field : fields.getPropertyValues()) {
				if (field.getValue() instanceof String[] sent) {
					params.put(field.getName(), List.of(sent));
				}
			}
			return formValues.posted(values, params);
		}).orElse(values);
	}

	/** The form's values and their errors, for the view. */
	private static BindingResult form(Model model, Map<String, Object> values) {
		BindingResult result = new MapBindingResult(values, "trunk");
		model.addAttribute("trunk", values);
		model.addAttribute(BindingResult.MODEL_KEY_PREFIX + "trunk", result);
		return result;
	}

	/**
	 * A new trunk's spec, pre-filled from a source the edge refused ("create a trunk from
	 * this"): its address as the allowed IP and, when it sent one, its From domain as a
	 * literal pattern.
	 */
	private static TrunkSpec newTrunk(String source, String fromDomain) {
		TrunkSpec.Builder spec = TrunkSpec.builder().authMethod(AuthMethod.IP_ONLY);
		if (source == null || source.isBlank()) {
			return spec.build();
		}
		spec.allowedIps(List.of(source.strip()));
		if (fromDomain == null || fromDomain.isBlank()) {
			return spec.identifyBy(Set.of(IdentifyMethod.SOURCE_IP)).build();
		}
		return spec.identifyBy(Set.of(IdentifyMethod.SOURCE_IP, IdentifyMethod.FROM_DOMAIN))
			.fromDomainPattern("^" + fromDomain.strip().replaceAll("([.\\[\\]\\\\^$|?*+(){}])", "\\\\$1") + "$")
			.build();
	}

	@ExceptionHandler(NotFoundException.class)
	String notFound(RedirectAttributes redirect, Locale locale) {
		redirect.addFlashAttribute("error", messages.getMessage("flash.trunk.gone", null, locale));
		return "redirect:" + LIST;
	}

	/**
	 * "Save and sync": the explicit sync step, right after a successful save. Plain Save
	 * never syncs; a failed sync leaves the trunk saved and says so.
	 */
	private void syncIfAsked(boolean andSync, String name, Principal principal, RedirectAttributes redirect,
			Locale locale) {
		if (!andSync) {
			return;
		}
		try {
			SyncResult result = sync.syncAll(principal == null ? "anonymous" : principal.getName());
			redirect.addFlashAttribute("message",
					messages.getMessage("flash.trunk.synced", new Object[] { name, result.generation() }, locale));
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
