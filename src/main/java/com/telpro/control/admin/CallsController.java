package com.telpro.control.admin;

import com.telpro.control.call.CallRecordService;
import com.telpro.control.trunk.TrunkService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The Calls tab: recent calls through the edge, optionally of one trunk. */
@Controller
@RequestMapping("/admin-settings/calls")
class CallsController {

	private static final int PAGE_LIMIT = 200;

	private final CallRecordService calls;

	private final TrunkService trunks;

	CallsController(CallRecordService calls, TrunkService trunks) {
		this.calls = calls;
		this.trunks = trunks;
	}

	@GetMapping
	String list(@RequestParam(required = false) String trunk, Model model) {
		model.addAttribute("calls", calls.recent(trunk, PAGE_LIMIT));
		model.addAttribute("trunkNames", trunks.list().stream().map(t -> t.name()).toList());
		model.addAttribute("trunk", trunk);
		model.addAttribute("limit", PAGE_LIMIT);
		return "calls/list";
	}

}
