package com.telpro.control.admin;

import java.util.Locale;

import com.telpro.control.config.InvalidInputException;
import com.telpro.control.config.ProblemException;
import com.telpro.control.security.ApiTokenService;
import com.telpro.control.security.CreatedToken;
import com.telpro.control.security.NewUser;
import com.telpro.control.security.Role;
import com.telpro.control.security.UserChange;
import com.telpro.control.security.UserService;
import org.springframework.context.MessageSource;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Users tab: everyone signed in may look (read-only for viewers); admins add, change
 * and delete users and create or revoke their API tokens. A new token is shown once, on
 * the page the creation redirects to.
 */
@Controller
@RequestMapping("/admin-settings/users")
class UsersController {

	private final UserService users;

	private final ApiTokenService tokens;

	private final MessageSource messages;

	private final FormErrors formErrors;

	UsersController(UserService users, ApiTokenService tokens, MessageSource messages, FormErrors formErrors) {
		this.users = users;
		this.tokens = tokens;
		this.messages = messages;
		this.formErrors = formErrors;
	}

	@GetMapping
	String list(Model model) {
		model.addAttribute("users", users.list());
		model.addAttribute("roles", Role.values());
		return "users/list";
	}

	@GetMapping("/{id}")
	String show(@PathVariable long id, Model model) {
		model.addAttribute("user", users.get(id));
		model.addAttribute("tokens", tokens.listForUser(id));
		model.addAttribute("roles", Role.values());
		return "users/detail";
	}

	@PostMapping
	@PreAuthorize("hasRole('ADMIN')")
	String create(@RequestParam String username, @RequestParam String password, @RequestParam String role,
			RedirectAttributes redirect, Locale locale) {
		try {
			long id = users.create(new NewUser(username, password, role(role))).id();
			redirect.addFlashAttribute("message", messages.getMessage("users.created", null, locale));
			return "redirect:/admin-settings/users/" + id;
		}
		catch (ProblemException ex) {
			redirect.addFlashAttribute("error", formErrors.flash(ex, locale));
			return "redirect:/admin-settings/users";
		}
	}

	@PostMapping("/{id}")
	@PreAuthorize("hasRole('ADMIN')")
	String update(@PathVariable long id, @RequestParam String role,
			@RequestParam(defaultValue = "false") boolean enabled, RedirectAttributes redirect, Locale locale) {
		return change(id, redirect, locale, "users.saved",
				() -> users.update(id, new UserChange(role(role), enabled, null)));
	}

	@PostMapping("/{id}/password")
	@PreAuthorize("hasRole('ADMIN')")
	String password(@PathVariable long id, @RequestParam String password, RedirectAttributes redirect, Locale locale) {
		return change(id, redirect, locale, "users.passwordChanged",
				() -> users.update(id, new UserChange(null, null, password)));
	}

	@PostMapping("/{id}/delete")
	@PreAuthorize("hasRole('ADMIN')")
	String delete(@PathVariable long id, RedirectAttributes redirect, Locale locale) {
		try {
			users.delete(id);
			redirect.addFlashAttribute("message", messages.getMessage("users.deleted", null, locale));
			return "redirect:/admin-settings/users";
		}
		catch (ProblemException ex) {
			redirect.addFlashAttribute("error", formErrors.flash(ex, locale));
			return "redirect:/admin-settings/users/" + id;
		}
	}

	@PostMapping("/{id}/tokens")
	@PreAuthorize("hasRole('ADMIN')")
	String createToken(@PathVariable long id, @RequestParam String name, RedirectAttributes redirect, Locale locale) {
		try {
			CreatedToken created = tokens.create(id, name);
			redirect.addFlashAttribute("createdToken", created.token());
			redirect.addFlashAttribute("message", messages.getMessage("users.tokenCreated", null, locale));
		}
		catch (ProblemException ex) {
			redirect.addFlashAttribute("error", formErrors.flash(ex, locale));
		}
		return "redirect:/admin-settings/users/" + id;
	}

	@PostMapping("/{id}/tokens/{tokenId}/revoke")
	@PreAuthorize("hasRole('ADMIN')")
	String revokeToken(@PathVariable long id, @PathVariable long tokenId, RedirectAttributes redirect, Locale locale) {
		return change(id, redirect, locale, "users.tokenRevoked", () -> tokens.revokeForUser(id, tokenId));
	}

	private String change(long id, RedirectAttributes redirect, Locale locale, String done, Runnable action) {
		try {
			action.run();
			redirect.addFlashAttribute("message", messages.getMessage(done, null, locale));
		}
		catch (ProblemException ex) {
			redirect.addFlashAttribute("error", formErrors.flash(ex, locale));
		}
		return "redirect:/admin-settings/users/" + id;
	}

	/**
	 * The role a form posted; a value the select never offers is refused like the API
	 * refuses it.
	 */
	private static Role role(String wire) {
		try {
			return Role.fromWire(wire);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInputException("role", ex.getMessage());
		}
	}

}
