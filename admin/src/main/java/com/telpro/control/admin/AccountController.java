package com.telpro.control.admin;

import java.util.Locale;

import com.telpro.control.config.ProblemException;
import com.telpro.control.security.UserService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "My account": every signed-in user, viewers included, changes their own password here
 * (the one write a viewer may do; security/SecurityConfig allows this POST to any role).
 * The change ends the user's sessions, so the next page is the login.
 */
@Controller
@RequestMapping("/admin-settings/account")
class AccountController {

	private final UserService users;

	private final FormErrors formErrors;

	AccountController(UserService users, FormErrors formErrors) {
		this.users = users;
		this.formErrors = formErrors;
	}

	@GetMapping
	String show() {
		return "account/show";
	}

	@PostMapping("/password")
	String changePassword(Authentication principal, @RequestParam(defaultValue = "") String currentPassword,
			@RequestParam(defaultValue = "") String password, RedirectAttributes redirect, HttpServletRequest request,
			HttpServletResponse response, Locale locale) {
		try {
			users.changeOwnPassword(principal.getName(), currentPassword, password);
			// The change ended the user's sessions; this one is logged out here, so the
			// login page
			// says the password changed rather than that the session ended.
			new SecurityContextLogoutHandler().logout(request, response, principal);
			return "redirect:/login?passwordChanged";
		}
		catch (ProblemException ex) {
			redirect.addFlashAttribute("error", formErrors.flash(ex, locale));
			return "redirect:/admin-settings/account";
		}
	}

}
