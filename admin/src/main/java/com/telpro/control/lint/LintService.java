package com.telpro.control.lint;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.telpro.control.secret.CaCertificateInfo;
import com.telpro.control.secret.PlatformSecretService;
import com.telpro.control.trunk.TrunkRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The lint of the saved trunk set: shown on the trunk list, before a sync and at GET
 * /api/trunks/lint.
 */
@Service
public class LintService {

	private final TrunkRepository trunks;

	private final PlatformSecretService secrets;

	private final Clock clock = Clock.systemUTC();

	LintService(TrunkRepository trunks, PlatformSecretService secrets) {
		this.trunks = trunks;
		this.secrets = secrets;
	}

	@Transactional(readOnly = true)
	public List<LintFinding> lint() {
		return TrunkLint.check(trunks.findAll(), this::caExpiry, clock);
	}

	private Optional<Instant> caExpiry(long secretId) {
		return secrets.findCaCertificate(secretId).map(CaCertificateInfo::notAfter);
	}

}
