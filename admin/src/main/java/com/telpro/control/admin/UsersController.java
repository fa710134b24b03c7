package com.telpro.control.admin;

import com.telpro.control.security.ApiTokenService;
import com.telpro.control.security.CreatedToken;
import com.telpro.control.security.NewUser;
import com.telpro.control.security.Role;
import com.telpro.control.security.UserChange;
import com.telpro.control.security.UserProblem;
import com.telpro.control.security.UserService;
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

	UsersController(UserService users, ApiTokenService tokens) {
		this.users = users;
		this.tokens = tokens;
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
			RedirectAttributes redirect) {
		try {
			long id = users.create(new NewUser(username, password, Role.fromWire(role))).id();
			redirect.addFlashAttribute("message", "User created.");
			return "redirect:/admin-settings/users/" + id;
		}
		catch (UserProblem | IllegalArgumentException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/admin-settings/users";
		}
	}

	@PostMapping("/{id}")
	@PreAuthorize("hasRole('ADMIN')")
	String update(@PathVariable long id, @RequestParam String role,
			@RequestParam(defaultValue = "false") boolean enabled, RedirectAttributes redirect) {
		return change(id, redirect, "User saved.",
				() -> users.update(id, new UserChange(Role.fromWire(role), enabled, null)));
	}

	@PostMapping("/{id}/password")
	@PreAuthorize("hasRole('ADMIN')")
	String password(@PathVariable long id, @RequestParam String password, RedirectAttributes redirect) {
		return change(id, redirect, "Password changed.", () -> users.update(id, new UserChange(null, null, password)));
	}

	@PostMapping("/{id}/delete")
	@PreAuthorize("hasRole('ADMIN')")
	String delete(@PathVariable long id, RedirectAttributes redirect) {
		try {
			users.delete(id);
			redirect.addFlashAttribute("message", "User deleted.");
			return "redirect:/admin-settings/users";
		}
		catch (UserProblem ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
			return "redirect:/admin-settings/users/" + id;
		}
	}

	@PostMapping("/{id}/tokens")
	@PreAuthorize("hasRole('ADMIN')")
	String createToken(@PathVariable long id, @RequestParam String name, RedirectAttributes redirect) {
		try {
			CreatedToken created = tokens.create(id, name);
			redirect.addFlashAttribute("createdToken", created.token());
			redirect.addFlashAttribute("message", "Token created. Copy it now: it is not shown again.");
		}
		catch (UserProblem ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/admin-settings/users/" + id;
	}

	@PostMapping("/{id}/tokens/{tokenId}/revoke")
	@PreAuthorize("hasRole('ADMIN')")
	String revokeToken(@PathVariable long id, @PathVariable long tokenId, RedirectAttributes redirect) {
		return change(id, redirect, "Token revoked.", () -> tokens.revokeForUser(id, tokenId));
	}

	private static String change(long id, RedirectAttributes redirect, String done, Runnable action) {
		try {
			action.run();
			redirect.addFlashAttribute("message", done);
		}
		catch (UserProblem | IllegalArgumentException ex) {
			redirect.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/admin-settings/users/" + id;
	}

}
