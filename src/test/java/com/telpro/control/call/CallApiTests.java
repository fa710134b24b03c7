package com.telpro.control.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.security.test.context.support.WithMockUser;

/** Rows shaped as kamailio.cfg's acc db_extra writes them; the Kamailio tests prove the writing. */
@SpringBootTest
@AutoConfigureMockMvc
@WithMockUser(username = "admin", roles = "ADMIN")
class CallApiTests {

	private static final String ACC = "insert into %s (method, from_tag, to_tag, callid, sip_code, sip_reason, time, "
			+ "trunk, ext_call_id, src_user, src_domain, src_ip, dst_user, dst_domain) "
			+ "values (?, 'ft', 'tt', ?, ?, ?, ?::timestamp, ?, ?, 'alice', 'carrier.example', '127.0.0.2', '100', 'edge.example')";

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void calls() {
		jdbc.update("delete from acc");
		jdbc.update("delete from missed_calls");
		jdbc.update(ACC.formatted("acc"), "INVITE", "call-ended", "200", "OK", "2026-11-24 10:00:00", "twilio", "CA123");
		jdbc.update(ACC.formatted("acc"), "BYE", "call-ended", "200", "OK", "2026-11-24 10:05:00", "twilio", null);
		jdbc.update(ACC.formatted("acc"), "INVITE", "call-live", "200", "OK", "2026-11-24 10:10:00", "janus", null);
		jdbc.update(ACC.formatted("missed_calls"), "INVITE", "call-busy", "486", "Busy Here", "2026-11-24 10:20:00",
				"twilio", "CA456");
	}

	@Test
	void listsCallsNewestFirstWithTheirOutcome() throws Exception {
		mvc.perform(get("/api/calls"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.length()").value(3))
			.andExpect(jsonPath("$[0].call_id").value("call-busy"))
			.andExpect(jsonPath("$[0].state").value("failed"))
			.andExpect(jsonPath("$[0].final_status").value(486))
			.andExpect(jsonPath("$[1].call_id").value("call-live"))
			.andExpect(jsonPath("$[1].state").value("in_progress"))
			.andExpect(jsonPath("$[2].call_id").value("call-ended"))
			.andExpect(jsonPath("$[2].state").value("ended"))
			.andExpect(jsonPath("$[2].external_call_id").value("CA123"))
			.andExpect(jsonPath("$[2].from").value("alice@carrier.example"))
			.andExpect(jsonPath("$[2].ended_at").value("2026-11-24T10:05:00"));
	}

	@Test
	void filtersByTrunk() throws Exception {
		mvc.perform(get("/api/calls").param("trunk", "twilio"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.length()").value(2))
			.andExpect(jsonPath("$[0].trunk").value("twilio"))
			.andExpect(jsonPath("$[1].trunk").value("twilio"));
	}

	@Test
	void callsTabListsAndFiltersByTrunk() throws Exception {
		String all = mvc.perform(get("/admin-settings/calls")).andExpect(status().isOk()).andReturn().getResponse()
			.getContentAsString();
		assertThat(all).contains("call-ended", "call-live", "call-busy", "CA123", "486 Busy Here");

		String twilio = mvc.perform(get("/admin-settings/calls").param("trunk", "twilio")).andExpect(status().isOk())
			.andReturn().getResponse().getContentAsString();
		assertThat(twilio).contains("call-ended", "call-busy").doesNotContain("call-live");
	}

}
