package com.telpro.control.admin;

import java.util.Locale;

import com.telpro.control.security.LoginLockouts;
import org.springframework.context.MessageSource;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Lockouts tab (admins only): who is locked out after failed logins, and clearing a
 * lockout.
 */
@Controller
@RequestMapping("/admin-settings/lockouts")
@PreAuthorize("hasRole('ADMIN')")
class LockoutsController {

	private final LoginLockouts lockouts;

	private final MessageSource messages;

	LockoutsController(LoginLockouts lockouts, MessageSource messages) {
		this.lockouts = lockouts;
		this.messages = messages;
	}

	@GetMapping
	String list(Model model) {
		model.addAttribute("lockouts", lockouts.current());
		return "lockouts/list";
	}

	@PostMapping("/clear")
	String clear(@RequestParam String key, RedirectAttributes redirect, Locale locale) {
		lockouts.clear(key);
		redirect.addFlashAttribute("message", messages.getMessage("lockouts.cleared", new Object[] { key }, locale));
		return "redirect:/admin-settings/lockouts";
	}

}
