package com.telpro.control.trunk;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The audio codecs an operator may put in a trunk's preference list, in the spelling
 * RTPEngine and SDP use. {@code telephone-event} is not among them: media keeps DTMF
 * events whatever the preference list says.
 */
public final class Codecs {

	public static final List<String> KNOWN = List.of("PCMA", "PCMU", "G722", "G729", "opus", "iLBC", "GSM", "AMR",
			"AMR-WB");

	private Codecs() {
	}

	/** The known codec's canonical spelling, matched case-insensitively. */
	public static Optional<String> canonical(String name) {
		if (name == null) {
			return Optional.empty();
		}
		String wanted = name.strip().toLowerCase(Locale.ROOT);
		return KNOWN.stream().filter(known -> known.toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
	}

}
