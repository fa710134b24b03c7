package com.telpro.control.secret;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import com.telpro.contract.Certificates;
import com.telpro.contract.PemBlock;
import com.telpro.control.config.FieldProblem;
import com.telpro.control.security.AuditableChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Platform secrets: upload (parsed and checked for its purpose, stored encrypted), list,
 * delete (refused while a trunk references it), and what other features read — the CA
 * certificates a trunk may reference, a CA's fingerprint, and the CA bundle the edge
 * trusts.
 */
@Service
public class PlatformSecretService implements CaCertificateLookup {

	private static final Logger log = LoggerFactory.getLogger(PlatformSecretService.class);

	private static final Pattern NAME = Pattern.compile("[\\p{Alnum}][\\p{Alnum} ._-]*");

	private static final int MAX_PEM_CHARS = 65536;

	private final PlatformSecretRepository secrets;

	private final SecretReferences references;

	private final PemInspector inspector;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	PlatformSecretService(PlatformSecretRepository secrets, SecretReferences references, PemInspector inspector,
			ApplicationEventPublisher events) {
		this.secrets = secrets;
		this.references = references;
		this.inspector = inspector;
		this.events = events;
		this.clock = Clock.systemUTC();
	}

	@Transactional(readOnly = true)
	public List<SecretView> list() {
		return secrets.findAllByOrderByPurposeAscNameAsc().stream().map(this::view).toList();
	}

	@Transactional(readOnly = true)
	public SecretView get(long id) {
		return view(secrets.findById(id).orElseThrow(() -> new SecretNotFoundException(id)));
	}

	/**
	 * Parses and stores an upload.
	 * @throws SecretRejectedException (field errors) when the PEM does not fit its
	 * purpose or the name is taken; nothing is stored then
	 */
	@Transactional
	public SecretView upload(SecretUpload upload) {
		String name = upload.name() == null ? "" : upload.name().strip();
		List<FieldProblem> problems = new ArrayList<>();
		if (name.isEmpty() || name.length() > 100 || !NAME.matcher(name).matches()) {
			problems.add(new FieldProblem("name", "1 to 100 letters, digits, space, dot, underscore or dash"));
		}
		if (upload.purpose() == null) {
			problems.add(new FieldProblem("purpose", "must be one of CA_CERT, TLS_SERVER_CERT, TLS_SERVER_KEY"));
		}
		if (upload.pem() == null || upload.pem().isBlank() || upload.pem().length() > MAX_PEM_CHARS) {
			problems.add(new FieldProblem("pem", "must hold PEM text of at most 64 KiB"));
		}
		if (!problems.isEmpty()) {
			throw new SecretRejectedException(problems);
		}
		InspectedMaterial inspected = inspector.inspect(upload.purpose(), upload.pem());
		if (secrets.existsByName(name)) {
			throw new SecretRejectedException("name", "is already used by another secret");
		}
		PlatformSecret saved;
		try {
			saved = secrets.saveAndFlush(new PlatformSecret(name, upload.purpose(), inspected));
		}
		catch (DataIntegrityViolationException ex) {
			throw new SecretRejectedException("name", "is already used by another secret");
		}
		events.publishEvent(new AuditableChange("secret.upload", "platform_secret", String.valueOf(saved.getId()), null,
				auditSnapshot(saved)));
		log.info("Platform secret {} uploaded: purpose {}, fingerprint {}", saved.getId(), saved.getPurpose(),
				saved.getFingerprintSha256());
		return view(saved);
	}

	/**
	 * Deletes a secret no trunk references.
	 * @throws SecretInUseException naming the trunks that still reference it
	 */
	@Transactional
	public void delete(long id) {
		PlatformSecret secret = secrets.findById(id).orElseThrow(() -> new SecretNotFoundException(id));
		List<String> users = referencingTrunks(id);
		if (!users.isEmpty()) {
			throw new SecretInUseException(id, users);
		}
		secrets.delete(secret);
		try {
			secrets.flush();
		}
		catch (DataIntegrityViolationException ex) {
			// A trunk started referencing it after the check above: the foreign key
			// refused.
			throw new SecretInUseException(id, referencingTrunks(id));
		}
		events.publishEvent(new AuditableChange("secret.delete", "platform_secret", String.valueOf(id),
				auditSnapshot(secret), null));
		log.info("Platform secret {} deleted: purpose {}", id, secret.getPurpose());
	}

	/**
	 * The CA_CERT secret {@code id}, if there is one: what the trunk validator accepts.
	 */
	@Transactional(readOnly = true)
	public Optional<CaCertificateInfo> findCaCertificate(long id) {
		return secrets.findById(id).filter(s -> s.getPurpose() == SecretPurpose.CA_CERT).map(this::caInfo);
	}

	/**
	 * Whether {@code id} names a CA_CERT secret (the trunk feature's
	 * {@code CaCertificateLookup}).
	 */
	@Override
	@Transactional(readOnly = true)
	public boolean isCaCertificate(long id) {
		return findCaCertificate(id).isPresent();
	}

	/**
	 * Every CA_CERT secret, by name: the choices of the trunk form's "TLS CA
	 * Certificate".
	 */
	@Transactional(readOnly = true)
	public List<CaCertificateInfo> caCertificates() {
		return secrets.findAllByPurposeOrderByNameAsc(SecretPurpose.CA_CERT).stream().map(this::caInfo).toList();
	}

	/**
	 * The SHA-256 fingerprint (lowercase hex of the DER) of CA_CERT secret
	 * {@code secretId}: the trunk's {@code tls_ca_fingerprint} in the generation
	 * document. Empty for null, an unknown id or another purpose.
	 */
	@Transactional(readOnly = true)
	public Optional<String> caFingerprint(Long secretId) {
		return secretId == null ? Optional.empty()
				: findCaCertificate(secretId).map(CaCertificateInfo::fingerprintSha256);
	}

	/**
	 * The CA bundle of these CA_CERT secrets (the ones the published trunks reference),
	 * as PEM re-encoded from the stored DER (certificates only), in secret id order.
	 */
	@Transactional(readOnly = true)
	public CaBundle caBundle(Collection<Long> caSecretIds) {
		List<Long> ids = caSecretIds.stream().filter(Objects::nonNull).distinct().sorted().toList();
		if (ids.isEmpty()) {
			return CaBundle.of("", List.of());
		}
		List<PlatformSecret> cas = secrets.findAllByIdInAndPurposeOrderByIdAsc(ids, SecretPurpose.CA_CERT);
		StringBuilder pem = new StringBuilder();
		for (PlatformSecret ca : cas) {
			// Re-parsed and re-encoded: whatever is stored, only a certificate can leave
			// here.
			for (PemBlock block : PemBlock.parseAll(ca.getMaterial())) {
				Certificates.parse(block.der());
				pem.append(Certificates.toPem("CERTIFICATE", block.der()));
			}
		}
		return CaBundle.of(pem.toString(), cas.stream().map(PlatformSecret::getId).toList());
	}

	private List<String> referencingTrunks(long id) {
		return references.trunksUsing(id);
	}

	private SecretView view(PlatformSecret secret) {
		return SecretView.of(secret, referencingTrunks(secret.getId()), clock.instant());
	}

	private CaCertificateInfo caInfo(PlatformSecret secret) {
		return new CaCertificateInfo(secret.getId(), secret.getName(), secret.getSubject(), secret.getNotAfter(),
				secret.getFingerprintSha256());
	}

	/** Metadata only: never the PEM, not even a certificate's. */
	private static Map<String, Object> auditSnapshot(PlatformSecret secret) {
		Map<String, Object> snapshot = new LinkedHashMap<>();
		snapshot.put("name", secret.getName());
		snapshot.put("purpose", secret.getPurpose().name());
		snapshot.put("material", "***");
		snapshot.put("subject", secret.getSubject());
		snapshot.put("issuer", secret.getIssuer());
		snapshot.put("not_after", secret.getNotAfter() == null ? null : secret.getNotAfter().toString());
		snapshot.put("fingerprint_sha256", secret.getFingerprintSha256());
		snapshot.put("key_algorithm", secret.getKeyAlgorithm());
		return snapshot;
	}

}
