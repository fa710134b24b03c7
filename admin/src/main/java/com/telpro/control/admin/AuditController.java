package com.telpro.control.admin;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

import com.telpro.control.security.AuditFilter;
import com.telpro.control.security.AuditPage;
import com.telpro.control.security.AuditService;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The Audit tab: the audit log with filters, newest first. Read-only for everyone. */
@Controller
@RequestMapping("/admin-settings/audit")
class AuditController {

	private static final int PAGE_SIZE = 50;

	private final AuditService audit;

	AuditController(AuditService audit) {
		this.audit = audit;
	}

	@GetMapping
	String list(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
			@RequestParam(name = "target_type", required = false) String targetType,
			@RequestParam(name = "target_id", required = false) String targetId,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) LocalDateTime to,
			@RequestParam(defaultValue = "0") int page, Model model) {
		AuditFilter filter = new AuditFilter(actor, action, targetType, targetId,
				from == null ? null : from.toInstant(ZoneOffset.UTC), to == null ? null : to.toInstant(ZoneOffset.UTC));
		AuditPage result = audit.find(filter, page, PAGE_SIZE);
		model.addAttribute("result", result);
		model.addAttribute("rows", result.items().stream().map(AuditRow::of).toList());
		model.addAttribute("actor", actor);
		model.addAttribute("action", action);
		model.addAttribute("targetType", targetType);
		model.addAttribute("targetId", targetId);
		model.addAttribute("from", from);
		model.addAttribute("to", to);
		return "audit/list";
	}

}
