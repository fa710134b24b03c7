package com.telpro.control.sync;

import java.security.Principal;

import com.telpro.control.common.LogSafe;

/** Who asked, as the history and the audit log name them. */
final class Actors {

	private Actors() {
	}

	static String of(Principal principal) {
		return principal == null ? "anonymous" : LogSafe.of(principal.getName());
	}

}
