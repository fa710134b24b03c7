package com.telpro.control.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * One list of reason codes: the edge's reasons.js, REASON-CODES.md and
 * {@link ReasonCode}, in the same order.
 */
class ReasonCodesContractTests {

	private static List<String> matches(Path file, String regex) throws Exception {
		Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(Files.readString(file));
		List<String> codes = new ArrayList<>();
		while (m.find()) {
			codes.add(m.group(1));
		}
		return codes;
	}

	@Test
	void theJavaListIsTheEdgesListAndTheDocumentsList() throws Exception {
		List<String> java = Arrays.stream(ReasonCode.values()).map(ReasonCode::code).toList();
		List<String> js = matches(Path.of("kamailio/js/reasons.js"), "^\\s+[A-Z_]+: \"([a-z_]+)\",?$");
		List<String> doc = matches(Path.of("kamailio/REASON-CODES.md"), "^\\| `([a-z_]+)` \\|");

		assertThat(js).as("kamailio/js/reasons.js").isNotEmpty().containsExactlyElementsOf(java);
		assertThat(doc).as("kamailio/REASON-CODES.md").containsExactlyElementsOf(java);
	}

	@Test
	void everyCodeHasAnOutcome() {
		assertThat(ReasonCode.outcome("answered", 200)).isEqualTo(CallOutcome.ANSWERED);
		assertThat(ReasonCode.outcome("backend_failed", 486)).isEqualTo(CallOutcome.UNANSWERED);
		assertThat(ReasonCode.outcome("caller_cancelled", 487)).isEqualTo(CallOutcome.UNANSWERED);
		assertThat(ReasonCode.outcome("banned", 0)).isEqualTo(CallOutcome.DROPPED);
		for (ReasonCode r : ReasonCode.values()) {
			assertThat(ReasonCode.outcome(r.code(), 403)).as(r.code()).isIn(CallOutcome.ALL);
		}
	}

}
