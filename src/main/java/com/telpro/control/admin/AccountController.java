package com.telpro.control.admin;

import java.security.Principal;

import com.telpro.control.security.UserProblem;
import com.telpro.control.security.UserService;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "My account": every signed-in user, viewers included, changes their own password here (the one
 * write a viewer may do; security/SecurityConfig allows this POST to any role). The change ends the
 * user's sessions, so the next page is the login.
 */
@Controller
@RequestMapping("/admin-settings/account")
class AccountController {

	private final UserService users;

	AccountController(UserService users) {
		this.users = users;
	}

	@GetMapping
	String show() {
		return "account/show";
	}

	@PostMapping("/password")
	String changePassword(Principal principal, @RequestParam(defaultValue = "") String currentPassword,
			@RequestParam(defaultValue = "") String password, RedirectAttributes redirect) {
		try {
			users.changeOwnPassword(principal.getName(), currentPassword, password);
			return "redirect:/login?passwordChanged";
		}
		catch (UserProblem ex) {
			redirect.addFlashAttribute("error", ex.getBody().getDetail());
			return "redirect:/admin-settings/account";
		}
	}

}
