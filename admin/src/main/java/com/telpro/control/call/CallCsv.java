package com.telpro.control.call;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Call records as CSV (RFC 4180). Values come from callers' SIP messages, so a value a
 * spreadsheet would run as a formula is prefixed with an apostrophe.
 */
public final class CallCsv {

	static final String HEADER = "id,arrived_at,node,trunk,outcome,reason,status,attempts,aggregated,src_ip,src_port,"
			+ "transport,from_user,from_host,to_user,to_host,ruri_user,ruri_host,call_id,external_call_id,x_call_id,"
			+ "answered_at,ended_at,duration_seconds";

	private final Writer out;

	public CallCsv(Writer out) {
		this.out = out;
		line(List.of(HEADER));
	}

	public void write(CallRecord c) {
		List<String> v = new ArrayList<>();
		v.add(Long.toString(c.id()));
		v.add(text(c.arrivedAt()));
		for (String s : new String[] { c.node(), c.trunk(), c.outcome(), c.reason() }) {
			v.add(cell(s));
		}
		v.add(text(c.status()));
		v.add(Integer.toString(c.attempts()));
		v.add(Boolean.toString(c.aggregated()));
		v.add(cell(c.srcIp()));
		v.add(text(c.srcPort()));
		for (String s : new String[] { c.transport(), c.fromUser(), c.fromHost(), c.toUser(), c.toHost(), c.ruriUser(),
				c.ruriHost(), c.callId(), c.externalCallId(), c.xCallId() }) {
			v.add(cell(s));
		}
		v.add(text(c.answeredAt()));
		v.add(text(c.endedAt()));
		v.add(text(c.durationSeconds()));
		line(v);
	}

	private void line(List<String> values) {
		try {
			out.write(String.join(",", values));
			out.write("\r\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String text(Object value) {
		return value == null ? "" : value.toString();
	}

	static String cell(String value) {
		if (value == null) {
			return "";
		}
		String v = value;
		if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
			v = "'" + v;
		}
		if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
			v = '"' + v.replace("\"", "\"\"") + '"';
		}
		return v;
	}

}
