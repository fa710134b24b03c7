package com.telpro.control.call;

import java.util.List;

/** The outcomes the Calls tab and {@code GET /api/calls} filter on. */
public final class CallOutcome {

	/** Relayed and answered (2xx). */
	public static final String ANSWERED = "answered";

	/** Relayed, but the backend refused or did not answer, or the caller cancelled. */
	public static final String UNANSWERED = "unanswered";

	/** Answered by the edge itself with a refusal or a challenge. */
	public static final String REFUSED = "refused";

	/** Dropped without an answer (a banned source). */
	public static final String DROPPED = "dropped";

	public static final List<String> ALL = List.of(ANSWERED, UNANSWERED, REFUSED, DROPPED);

	private CallOutcome() {
	}

}
