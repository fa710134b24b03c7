package com.telpro.control.lint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.telpro.control.secret.CaCertificateInfo;
import com.telpro.control.secret.PlatformSecretDigest;
import com.telpro.control.secret.PlatformSecretService;
import com.telpro.control.trunk.TrunkRepository;
import com.telpro.control.trunk.TrunkTableDigest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The lint of the saved trunk set: shown on the trunk list, before a sync and at GET
 * /api/trunks/lint.
 */
@Service
public class LintService {

	static final Duration REUSED_FOR = Duration.ofMinutes(1);

	private final TrunkRepository trunks;

	private final PlatformSecretService secrets;

	private final TrunkTableDigest trunkDigest;

	private final PlatformSecretDigest secretDigest;

	private final Clock clock = Clock.systemUTC();

	/**
	 * The last lint with the digests of what it read: the trunk list shows it on every
	 * page, and at 2,000 trunks the pairwise checks cost hundreds of milliseconds.
	 */
	private volatile Linted last;

	private record Linted(String inputs, Instant at, List<LintFinding> findings) {
	}

	LintService(TrunkRepository trunks, PlatformSecretService secrets, TrunkTableDigest trunkDigest,
			PlatformSecretDigest secretDigest) {
		this.trunks = trunks;
		this.secrets = secrets;
		this.trunkDigest = trunkDigest;
		this.secretDigest = secretDigest;
	}

	/**
	 * Reused while no trunk or secret row changed, for at most {@link #REUSED_FOR}: the
	 * certificate expiry findings depend on the time too.
	 */
	@Transactional(readOnly = true)
	public List<LintFinding> lint() {
		String inputs = trunkDigest.current() + "/" + secretDigest.current();
		Instant now = clock.instant();
		Linted linted = last;
		if (linted != null && linted.inputs().equals(inputs) && !now.isAfter(linted.at().plus(REUSED_FOR))
				&& !now.isBefore(linted.at())) {
			return linted.findings();
		}
		List<LintFinding> findings = List.copyOf(TrunkLint.check(trunks.findAll(), this::caExpiry, clock));
		last = new Linted(inputs, now, findings);
		return findings;
	}

	private Optional<Instant> caExpiry(long secretId) {
		return secrets.findCaCertificate(secretId).map(CaCertificateInfo::notAfter);
	}

}
