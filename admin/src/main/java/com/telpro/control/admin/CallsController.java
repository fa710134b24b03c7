package com.telpro.control.admin;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.telpro.control.call.CallCsv;
import com.telpro.control.call.CallOutcome;
import com.telpro.control.call.CallQuery;
import com.telpro.control.call.CallRecordService;
import com.telpro.control.call.ReasonCode;
import com.telpro.control.config.InvalidInputException;
import com.telpro.control.trunk.TrunkService;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.validation.MapBindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The Calls tab: every INVITE attempt the edge handled, filtered by trunk, outcome,
 * reason code, edge and time, searched by external call id, Call-ID or number; one
 * attempt in detail; CSV.
 */
@Controller
@RequestMapping("/admin-settings/calls")
class CallsController {

	/** The filters of the list, by their parameter names. */
	private static final List<String> FILTERS = List.of("trunk", "outcome", "reason", "edge", "from", "to", "q");

	private final CallRecordService calls;

	private final TrunkService trunks;

	private final FormErrors formErrors;

	CallsController(CallRecordService calls, TrunkService trunks, FormErrors formErrors) {
		this.calls = calls;
		this.trunks = trunks;
		this.formErrors = formErrors;
	}

	@GetMapping
	String list(@RequestParam(required = false) String trunk, @RequestParam(required = false) String outcome,
			@RequestParam(required = false) String reason, @RequestParam(required = false) String edge,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String q, @RequestParam(defaultValue = "0") int page,
			@RequestParam(defaultValue = "" + CallRecordService.DEFAULT_PAGE_SIZE) int size, Model model,
			Locale locale) {
		model.addAttribute("trunk", trunk);
		model.addAttribute("outcome", outcome);
		model.addAttribute("reason", reason);
		model.addAttribute("edge", edge);
		model.addAttribute("from", from);
		model.addAttribute("to", to);
		model.addAttribute("q", q);
		model.addAttribute("trunkNames", trunks.list().stream().map(t -> t.name()).toList());
		model.addAttribute("edges", calls.edges());
		model.addAttribute("outcomes", CallOutcome.ALL);
		model.addAttribute("reasons", Arrays.stream(ReasonCode.values()).map(ReasonCode::code).toList());
		try {
			CallQuery query = calls.query(trunk, outcome, reason, edge, from, to, q);
			model.addAttribute("result", calls.search(query, page, size));
		}
		catch (InvalidInputException ex) {
			Map<String, String> filters = new HashMap<>();
			for (String name : FILTERS) {
				filters.put(name, null);
			}
			BindingResult filter = new MapBindingResult(filters, "filter");
			formErrors.reject(ex, filter, locale);
			model.addAttribute("filterErrors",
					filter.getFieldErrors().stream().map(e -> e.getField() + ": " + e.getDefaultMessage()).toList());
		}
		return "calls/list";
	}

	@GetMapping("/{id:\\d+}")
	String detail(@PathVariable long id, Model model) {
		model.addAttribute("call", calls.find(id));
		return "calls/detail";
	}

	@GetMapping("/export.csv")
	void export(@RequestParam(required = false) String trunk, @RequestParam(required = false) String outcome,
			@RequestParam(required = false) String reason, @RequestParam(required = false) String edge,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String q, HttpServletResponse response) throws IOException {
		CallQuery query = calls.query(trunk, outcome, reason, edge, from, to, q);
		response.setContentType("text/csv; charset=UTF-8");
		response.setHeader("Content-Disposition", "attachment; filename=\"calls.csv\"");
		Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
		CallCsv csv = new CallCsv(out);
		calls.export(query, csv::write);
		out.flush();
	}

}
