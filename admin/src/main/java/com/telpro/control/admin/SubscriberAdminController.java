package com.telpro.control.admin;

import java.util.Locale;

import com.telpro.control.config.InvalidInputException;
import com.telpro.control.config.NotFoundException;
import com.telpro.control.config.ProblemException;
import com.telpro.control.subscriber.KamailioProperties;
import com.telpro.control.subscriber.SubscriberRequests;
import com.telpro.control.subscriber.SubscriberService;
import jakarta.validation.Validator;
import org.springframework.context.MessageSource;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.validation.DirectFieldBindingResult;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Subscribers tab: SIP accounts of the registrar (like
 * {@code kamctl add / passwd / rm}). Everyone signed in may look; admins add, change
 * passwords and remove. Passwords are write-only.
 */
@Controller
@RequestMapping(SubscriberAdminController.PATH)
class SubscriberAdminController {

	static final String PATH = "/admin-settings/subscribers";

	private final SubscriberService subscribers;

	private final KamailioProperties kamailio;

	private final SpringValidatorAdapter validator;

	private final MessageSource messages;

	private final FormErrors formErrors;

	SubscriberAdminController(SubscriberService subscribers, KamailioProperties kamailio, Validator validator,
			MessageSource messages, FormErrors formErrors) {
		this.subscribers = subscribers;
		this.kamailio = kamailio;
		this.validator = new SpringValidatorAdapter(validator);
		this.messages = messages;
		this.formErrors = formErrors;
	}

	@InitBinder("form")
	void binder(WebDataBinder binder) {
		binder.setDisallowedFields("id");
	}

	@GetMapping
	String list(Model model) {
		SubscriberForm form = new SubscriberForm();
		form.setDomain(kamailio.sipDomain());
		return page(model, form);
	}

	@PostMapping
	@PreAuthorize("hasRole('ADMIN')")
	String create(@ModelAttribute("form") SubscriberForm form, BindingResult errors, Model model,
			RedirectAttributes redirect, Locale locale) {
		SubscriberRequests.Create request = new SubscriberRequests.Create(form.getUsername(), form.getDomain(),
				form.getPassword());
		try {
			validate(request);
			subscribers.create(request.username(), request.domain(), request.password());
			redirect.addFlashAttribute("message",
					messages.getMessage("subscribers.added", new Object[] { request.username() }, locale));
			return "redirect:" + PATH;
		}
		catch (ProblemException ex) {
			formErrors.reject(ex, errors, locale);
		}
		form.setPassword("");
		return page(model, form);
	}

	@PostMapping("/{id}/password")
	@PreAuthorize("hasRole('ADMIN')")
	String password(@PathVariable int id, @RequestParam(defaultValue = "") String password, RedirectAttributes redirect,
			Locale locale) {
		try {
			validate(new SubscriberRequests.ChangePassword(password));
			subscribers.changePassword(id, password);
			redirect.addFlashAttribute("message", messages.getMessage("subscribers.passwordChanged", null, locale));
		}
		catch (InvalidInputException ex) {
			// the one field of this form: its first problem reads as a sentence
			redirect.addFlashAttribute("error", messages.getMessage("subscribers.passwordNotChanged",
					new Object[] { formErrors.humanize(ex.problems().get(0).message(), locale) }, locale));
		}
		catch (NotFoundException ex) {
			redirect.addFlashAttribute("error", messages.getMessage("subscribers.gone", null, locale));
		}
		return "redirect:" + PATH;
	}

	@PostMapping("/{id}/delete")
	@PreAuthorize("hasRole('ADMIN')")
	String delete(@PathVariable int id, RedirectAttributes redirect, Locale locale) {
		try {
			subscribers.delete(id);
			redirect.addFlashAttribute("message", messages.getMessage("subscribers.removed", null, locale));
		}
		catch (NotFoundException ex) {
			redirect.addFlashAttribute("error", messages.getMessage("subscribers.gone", null, locale));
		}
		return "redirect:" + PATH;
	}

	private String page(Model model, SubscriberForm form) {
		model.addAttribute("subscribers", subscribers.list());
		model.addAttribute("form", form);
		model.addAttribute("sipDomain", kamailio.sipDomain());
		return "subscribers/list";
	}

	/**
	 * The request's bean-validation rules, refused as the API refuses them.
	 * @throws InvalidInputException naming each field at fault
	 */
	private void validate(Object request) {
		DirectFieldBindingResult problems = new DirectFieldBindingResult(request, "request");
		validator.validate(request, problems);
		if (problems.hasErrors()) {
			throw new InvalidInputException(problems);
		}
	}

}
