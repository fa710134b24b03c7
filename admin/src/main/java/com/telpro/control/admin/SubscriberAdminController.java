package com.telpro.control.admin;

import java.util.Set;

import com.telpro.control.config.ConflictException;
import com.telpro.control.config.NotFoundException;
import com.telpro.control.subscriber.KamailioProperties;
import com.telpro.control.subscriber.SubscriberRequests;
import com.telpro.control.subscriber.SubscriberService;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
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

	private final Validator validator;

	SubscriberAdminController(SubscriberService subscribers, KamailioProperties kamailio, Validator validator) {
		this.subscribers = subscribers;
		this.kamailio = kamailio;
		this.validator = validator;
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
			RedirectAttributes redirect) {
		SubscriberRequests.Create request = new SubscriberRequests.Create(form.getUsername(), form.getDomain(),
				form.getPassword());
		reject(validator.validate(request), errors);
		if (!errors.hasErrors()) {
			try {
				subscribers.create(request.username(), request.domain(), request.password());
				redirect.addFlashAttribute("message", "Subscriber " + request.username() + " added.");
				return "redirect:" + PATH;
			}
			catch (ConflictException ex) {
				errors.rejectValue("username", "conflict", ex.getMessage());
			}
		}
		form.setPassword("");
		return page(model, form);
	}

	@PostMapping("/{id}/password")
	@PreAuthorize("hasRole('ADMIN')")
	String password(@PathVariable int id, @RequestParam(defaultValue = "") String password,
			RedirectAttributes redirect) {
		Set<ConstraintViolation<SubscriberRequests.ChangePassword>> problems = validator
			.validate(new SubscriberRequests.ChangePassword(password));
		if (!problems.isEmpty()) {
			redirect.addFlashAttribute("error",
					"Password not changed: it " + problems.iterator().next().getMessage() + ".");
			return "redirect:" + PATH;
		}
		try {
			subscribers.changePassword(id, password);
			redirect.addFlashAttribute("message", "Password changed; it applies at the phone's next REGISTER.");
		}
		catch (NotFoundException ex) {
			redirect.addFlashAttribute("error", "That subscriber no longer exists.");
		}
		return "redirect:" + PATH;
	}

	@PostMapping("/{id}/delete")
	@PreAuthorize("hasRole('ADMIN')")
	String delete(@PathVariable int id, RedirectAttributes redirect) {
		try {
			subscribers.delete(id);
			redirect.addFlashAttribute("message", "Subscriber removed.");
		}
		catch (NotFoundException ex) {
			redirect.addFlashAttribute("error", "That subscriber no longer exists.");
		}
		return "redirect:" + PATH;
	}

	private String page(Model model, SubscriberForm form) {
		model.addAttribute("subscribers", subscribers.list());
		model.addAttribute("form", form);
		model.addAttribute("sipDomain", kamailio.sipDomain());
		return "subscribers/list";
	}

	private static <T> void reject(Set<ConstraintViolation<T>> violations, BindingResult errors) {
		for (ConstraintViolation<T> v : violations) {
			String field = v.getPropertyPath().toString();
			if (!errors.hasFieldErrors(field)) {
				errors.rejectValue(field, "invalid", v.getMessage());
			}
		}
	}

}
