package com.telpro.control.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * {@code GET /api/calls} and the Calls tab over records shaped as the edge writes them
 * (kamailio/CALL-RECORDS.md), stored through {@link CallRecordStore}; the Kamailio tests
 * prove the edge writes them so. The page is tested as a browser sees it: the HTML of a
 * GET with the filter parameters, rows read back from the table.
 */
@SpringBootTest
@AutoConfigureMockMvc
@WithMockUser(username = "admin", roles = "ADMIN")
class CallApiTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Pattern ROW = Pattern.compile("<tr class=\"call-row\" data-call-id=\"([^\"]*)\">");

	private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	CallRecordStore store;

	@Autowired
	CallRecordRetention retention;

	@Autowired
	CallRecordProperties properties;

	@BeforeEach
	void calls() {
		jdbc.update("delete from call_records");
		store.store(List.of(attempt("edge-1", "call-ended", 0, "twilio", "answered", 200, "+15550001", "CA123"),
				end("edge-1", "call-ended", 65),
				attempt("edge-1", "call-live", 10, "janus", "answered", 200, "+15550002", null),
				attempt("edge-2", "call-busy", 20, "twilio", "limit_concurrent", 486, "+15550003", "CA456"),
				attempt("edge-2", "call-stranger", 30, null, "no_match", 403, "+15550004", null),
				attempt("edge-1", "call-backend", 40, "twilio", "backend_failed", 503, "+15550005", null)));
	}

	private static String attempt(String node, String callId, int minute, String trunk, String reason, int status,
			String from, String ext) {
		ObjectNode r = JSON.createObjectNode();
		r.put("v", 1).put("type", "attempt").put("id", node + ":1:" + callId).put("node", node);
		r.put("arrived_at", T0.plusSeconds(60L * minute).toEpochMilli());
		r.put("final_at", T0.plusSeconds(60L * minute + 1).toEpochMilli());
		if ("answered".equals(reason)) {
			r.put("answered_at", T0.plusSeconds(60L * minute + 1).toEpochMilli());
		}
		r.put("src_ip", "127.0.0.2").put("src_port", 5060).put("transport", "udp");
		r.put("from_user", from).put("from_host", "carrier.example").put("to_user", "100").put("to_host", "edge");
		r.put("ruri_user", "100").put("ruri_host", "edge").put("call_id", callId);
		r.put("trunk", trunk).put("ext_call_id", ext).put("status", status).put("reason", reason).put("attempts", 1);
		return r.toString();
	}

	private static String end(String node, String callId, int seconds) {
		return "{\"v\":1,\"type\":\"end\",\"id\":\"" + node + ":1:" + callId + "\",\"node\":\"" + node
				+ "\",\"ended_at\":" + T0.plusSeconds(1 + seconds).toEpochMilli() + "}";
	}

	private List<String> pageRows(MockHttpServletRequestBuilder request) throws Exception {
		String html = mvc.perform(request).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
		List<String> ids = new ArrayList<>();
		Matcher m = ROW.matcher(html);
		while (m.find()) {
			ids.add(m.group(1));
		}
		return ids;
	}

	@Test
	void listsCallsNewestFirstWithTheirOutcomeReasonAndDuration() throws Exception {
		mvc.perform(get("/api/calls"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.calls.length()").value(5))
			.andExpect(jsonPath("$.has_next").value(false))
			.andExpect(jsonPath("$.calls[0].call_id").value("call-backend"))
			.andExpect(jsonPath("$.calls[0].state").value("unanswered"))
			.andExpect(jsonPath("$.calls[1].reason").value("no_match"))
			.andExpect(jsonPath("$.calls[1].trunk").doesNotExist())
			.andExpect(jsonPath("$.calls[2].outcome").value("refused"))
			.andExpect(jsonPath("$.calls[2].status").value(486))
			.andExpect(jsonPath("$.calls[3].state").value("in_progress"))
			.andExpect(jsonPath("$.calls[4].call_id").value("call-ended"))
			.andExpect(jsonPath("$.calls[4].state").value("ended"))
			.andExpect(jsonPath("$.calls[4].external_call_id").value("CA123"))
			.andExpect(jsonPath("$.calls[4].duration_seconds").value(65));
	}

	@Test
	void theApiFiltersByTrunkOutcomeReasonEdgeAndTimeAndSearches() throws Exception {
		mvc.perform(get("/api/calls").param("trunk", "twilio")).andExpect(jsonPath("$.calls.length()").value(3));
		mvc.perform(get("/api/calls").param("outcome", "refused")).andExpect(jsonPath("$.calls.length()").value(2));
		mvc.perform(get("/api/calls").param("reason", "no_match"))
			.andExpect(jsonPath("$.calls.length()").value(1))
			.andExpect(jsonPath("$.calls[0].call_id").value("call-stranger"));
		mvc.perform(get("/api/calls").param("edge", "edge-2")).andExpect(jsonPath("$.calls.length()").value(2));
		mvc.perform(get("/api/calls").param("from", "2026-11-24T10:10:00Z").param("to", "2026-11-24T10:30:00Z"))
			.andExpect(jsonPath("$.calls.length()").value(2));
		mvc.perform(get("/api/calls").param("q", "CA456")).andExpect(jsonPath("$.calls[0].call_id").value("call-busy"));
		mvc.perform(get("/api/calls").param("q", "+15550002"))
			.andExpect(jsonPath("$.calls[0].call_id").value("call-live"));
		mvc.perform(get("/api/calls").param("q", "call-ended")).andExpect(jsonPath("$.calls.length()").value(1));
	}

	@Test
	void theApiPagesAndShowsOneRecord() throws Exception {
		mvc.perform(get("/api/calls").param("size", "2"))
			.andExpect(jsonPath("$.calls.length()").value(2))
			.andExpect(jsonPath("$.has_next").value(true));
		mvc.perform(get("/api/calls").param("size", "2").param("page", "2"))
			.andExpect(jsonPath("$.calls.length()").value(1))
			.andExpect(jsonPath("$.calls[0].call_id").value("call-ended"))
			.andExpect(jsonPath("$.has_next").value(false));
		long id = jdbc.queryForObject("select id from call_records where call_id = 'call-busy'", Long.class);
		mvc.perform(get("/api/calls/" + id))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.reason").value("limit_concurrent"));
		mvc.perform(get("/api/calls/999999999")).andExpect(status().isNotFound());
	}

	@Test
	void badFiltersAre400WithTheFieldsNamed() throws Exception {
		mvc.perform(get("/api/calls").param("reason", "nonsense").param("outcome", "x").param("from", "yesterday"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith("application/problem+json"))
			.andExpect(jsonPath("$.errors[?(@.field == 'reason')]").exists())
			.andExpect(jsonPath("$.errors[?(@.field == 'outcome')]").exists())
			.andExpect(jsonPath("$.errors[?(@.field == 'from')]").exists());
	}

	@Test
	void theCallsTabFiltersAndSearchesOnThePage() throws Exception {
		assertThat(pageRows(get("/admin-settings/calls"))).containsExactly("call-backend", "call-stranger", "call-busy",
				"call-live", "call-ended");
		assertThat(pageRows(get("/admin-settings/calls").param("trunk", "twilio"))).containsExactly("call-backend",
				"call-busy", "call-ended");
		assertThat(pageRows(get("/admin-settings/calls").param("outcome", "answered"))).containsExactly("call-live",
				"call-ended");
		assertThat(pageRows(get("/admin-settings/calls").param("reason", "no_match"))).containsExactly("call-stranger");
		assertThat(pageRows(get("/admin-settings/calls").param("edge", "edge-2"))).containsExactly("call-stranger",
				"call-busy");
		// a datetime-local field sends the time without zone: UTC
		assertThat(pageRows(
				get("/admin-settings/calls").param("from", "2026-11-24T10:10").param("to", "2026-11-24T10:30")))
			.containsExactly("call-busy", "call-live");
		assertThat(pageRows(get("/admin-settings/calls").param("q", "CA123"))).containsExactly("call-ended");
		assertThat(pageRows(get("/admin-settings/calls").param("q", "+15550003"))).containsExactly("call-busy");
		assertThat(pageRows(get("/admin-settings/calls").param("size", "2").param("page", "1")))
			.containsExactly("call-busy", "call-live");

		String bad = mvc.perform(get("/admin-settings/calls").param("reason", "nonsense"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(bad).contains("Invalid filter: reason: not a reason code of kamailio/REASON-CODES.md");
	}

	@Test
	void theDetailPageAndTheCsvExport() throws Exception {
		long id = jdbc.queryForObject("select id from call_records where call_id = 'call-ended'", Long.class);
		String detail = mvc.perform(get("/admin-settings/calls/" + id))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(detail).contains("call-ended", "CA123", "65 s", "edge-1", "twilio");

		String csv = mvc.perform(get("/admin-settings/calls/export.csv").param("trunk", "twilio"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/csv"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		String[] lines = csv.split("\r\n");
		assertThat(lines).hasSize(4);
		assertThat(lines[0]).isEqualTo(CallCsv.HEADER);
		assertThat(lines[3]).contains(",twilio,answered,answered,200,").contains("call-ended").contains("CA123");
		// a formula-looking value is neutralised for spreadsheets
		assertThat(lines[3]).contains(",'+15550001,");
	}

	@Test
	void aRecordDeliveredTwiceOrItsEndFirstIsStoredOnce() {
		String a = attempt("edge-9", "dup", 50, "twilio", "answered", 200, "1", null);
		String e = end("edge-9", "dup", 5);
		store.store(List.of(e));
		store.store(List.of(a, a));
		store.store(List.of(a, e, "not json", "{\"type\":\"other\"}"));
		assertThat(jdbc.queryForObject(
				"select count(*) from call_records where call_id = 'dup' or record_id like 'edge-9:%'", Integer.class))
			.isEqualTo(1);
		assertThat(jdbc.queryForObject("select ended_at is not null and arrived_at is not null from call_records"
				+ " where record_id = 'edge-9:1:dup'", Boolean.class))
			.isTrue();
	}

	@Test
	void recordsOlderThanTheRetentionArePurged() {
		assertThat(properties.retention()).isEqualTo(java.time.Duration.ofDays(90));
		jdbc.update("update call_records set arrived_at = now() - interval '91 days' where call_id = 'call-ended'");
		jdbc.update("update call_records set arrived_at = now() - interval '89 days' where call_id = 'call-live'");
		assertThat(retention.purge()).isEqualTo(1);
		assertThat(jdbc.queryForList("select call_id from call_records order by call_id", String.class))
			.containsExactly("call-backend", "call-busy", "call-live", "call-stranger");
	}

	@Test
	void aValueWithANulByteIsStoredNotRefused() {
		store.store(List.of(attempt("edge-9", "nul", 51, "twilio", "no_match", 403, "a\u0000b", null)));
		assertThat(jdbc.queryForObject("select from_user from call_records where call_id = 'nul'", String.class))
			.isEqualTo("a\uFFFDb");
	}

}
