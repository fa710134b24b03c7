package com.telpro.control.admin;

import java.security.Principal;

import com.telpro.control.sync.PendingChanges;
import com.telpro.control.sync.SyncFailedException;
import com.telpro.control.sync.SyncResult;
import com.telpro.control.sync.SyncService;
import com.telpro.control.lint.LintService;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The "Admin Tools" tab: whether PostgreSQL has changes Redis does not serve yet and
 * which (each trunk a sync would add, change or remove, field by field, before anyone
 * presses it), the proxies' generations, the "Sync All to Redis" button and the recent
 * syncs.
 */
@Controller
class AdminToolsController {

	static final String TOOLS = "/admin-settings/tools";

	/** Beyond this many, the page names the count and the API lists them all. */
	static final int PENDING_SHOWN = 200;

	private final SyncService sync;

	private final PendingChanges pending;

	private final MessageSource messages;

	private final LintService lint;

	AdminToolsController(SyncService sync, PendingChanges pending, MessageSource messages, LintService lint) {
		this.sync = sync;
		this.pending = pending;
		this.messages = messages;
		this.lint = lint;
	}

	@GetMapping(TOOLS)
	String tools(Model model) {
		try {
			model.addAttribute("status", sync.status());
			PendingChanges.Pending changes = pending.pending();
			model.addAttribute("pending", changes.trunks().stream().limit(PENDING_SHOWN).toList());
			model.addAttribute("pendingMore", Math.max(0, changes.trunks().size() - PENDING_SHOWN));
		}
		catch (SyncFailedException ex) {
			model.addAttribute("statusError", ex.detail());
		}
		model.addAttribute("history", sync.history());
		// what to fix before syncing (the same list as on the trunk list)
		model.addAttribute("lint", lint.lint());
		return "admin/tools";
	}

	@PostMapping(TOOLS + "/sync")
	String syncAll(Principal principal, RedirectAttributes redirect) {
		try {
			SyncResult result = sync.syncAll(principal == null ? "anonymous" : principal.getName());
			redirect.addFlashAttribute("message",
					messages.getMessage("tools.sync.done",
							new Object[] { result.generation(), result.trunks(), result.durationMs() },
							LocaleContextHolder.getLocale()));
		}
		catch (SyncFailedException ex) {
			redirect.addFlashAttribute("error", ex.detail());
		}
		return "redirect:" + TOOLS;
	}

}
