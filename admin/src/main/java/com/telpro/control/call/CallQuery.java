package com.telpro.control.call;

import java.time.Instant;

/**
 * Filters of the Calls tab and {@code GET /api/calls}; every field is optional.
 *
 * @param q an external call id, a Call-ID or a number (From, To or R-URI user), matched
 * exactly
 */
public record CallQuery(String trunk, String outcome, String reason, String edge, Instant from, Instant to, String q) {

	public static final CallQuery ALL = new CallQuery(null, null, null, null, null, null, null);

}
