package com.telpro.control.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;

import com.telpro.control.trunk.AuthMethod;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The lint is reused between pages, yet follows every change of the trunks, whoever wrote
 * the row.
 */
@SpringBootTest
class LintServiceTests {

	@Autowired
	LintService lint;

	@Autowired
	TrunkRepository trunks;

	@Autowired
	JdbcTemplate jdbc;

	@BeforeEach
	void clean() {
		trunks.deleteAll();
	}

	@Test
	void aChangedTrunkChangesTheLintAtOnce() {
		trunks.save(trunk("wide", 10, "192.0.2.0/24"));
		Trunk narrow = trunks.save(trunk("narrow", 10, "192.0.2.7"));

		List<LintFinding> before = lint.lint();
		assertThat(before).extracting(LintFinding::rule).contains(TrunkLint.EQUAL_PRIORITY_OVERLAP);
		assertThat(lint.lint()).isSameAs(before);

		// plain SQL, behind the service's back
		jdbc.update("update trunk set allowed_ips = '[\"198.51.100.7/32\"]'::jsonb where id = ?", narrow.getId());
		assertThat(lint.lint()).extracting(LintFinding::rule).doesNotContain(TrunkLint.EQUAL_PRIORITY_OVERLAP);
	}

	private static Trunk trunk(String name, int priority, String... cidrs) {
		Trunk t = new Trunk();
		t.setName(name);
		t.setPriority(priority);
		t.setIdentifyBy(EnumSet.of(IdentifyMethod.SOURCE_IP));
		t.setAllowedIps(List.of(cidrs));
		t.setAuthMethod(AuthMethod.IP_ONLY);
		return t;
	}

}
