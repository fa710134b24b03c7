package com.telpro.control.sync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a sync publishes now, built from PostgreSQL. Each trunk is published (loaded,
 * password decrypted, serialised, hashed) once per row version: a row keeps its
 * {@code xmin} until it is written again (by the service, a migration or plain SQL), and
 * a trunk's published bytes depend only on its row and, through its CA certificate, on
 * the platform secrets (a change of any secret publishes every trunk again). The row
 * versions and the changed rows are read in one snapshot (REPEATABLE READ), so a version
 * is never paired with another version's content. At 10,000 trunks a sync after one
 * change reads 10,000 versions and one entity, not 10,000 entities.
 */
@Component
class CurrentGeneration {

	private static final String ENABLED_VERSIONS = "select id, xmin::text from trunk where enabled";

	private final JdbcTemplate jdbc;

	private final TrunkRepository trunks;

	private final GenerationBuilder builder;

	private final SyncInputsDigest inputs;

	private final TransactionTemplate snapshot;

	/** Trunk id → what was published for it at a row version, under a secrets digest. */
	private volatile Known known = new Known("", Map.of(), null);

	/**
	 * @param current the last build, reused as it is while no trunk changed
	 */
	private record Known(String secrets, Map<Long, Published> trunks, Current current) {
	}

	private record Published(String rowVersion, PublishedTrunk trunk) {
	}

	/**
	 * @param caSecretIds the CA certificates the published trunks name (the TLS material
	 * of the sync)
	 */
	record Current(GenerationDocument document, List<Long> caSecretIds) {
	}

	CurrentGeneration(JdbcTemplate jdbc, TrunkRepository trunks, GenerationBuilder builder, SyncInputsDigest inputs,
			PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.trunks = trunks;
		this.builder = builder;
		this.inputs = inputs;
		this.snapshot = new TransactionTemplate(transactions);
		this.snapshot.setReadOnly(true);
		this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
	}

	Current build() {
		// before the rows: a secret changed in between only costs a rebuild next time
		String secrets = inputs.secrets();
		return snapshot.execute(status -> build(secrets));
	}

	private Current build(String secrets) {
		Map<Long, String> versions = new HashMap<>();
		jdbc.query(ENABLED_VERSIONS, row -> {
			versions.put(row.getLong(1), row.getString(2));
		});
		Known last = known;
		Map<Long, Published> reusable = last.secrets().equals(secrets) ? last.trunks() : Map.of();
		Map<Long, Published> next = new HashMap<>(versions.size() * 2);
		List<Long> changed = new ArrayList<>();
		versions.forEach((id, version) -> {
			Published before = reusable.get(id);
			if (before != null && before.rowVersion().equals(version)) {
				next.put(id, before);
			}
			else {
				changed.add(id);
			}
		});
		if (!changed.isEmpty()) {
			// most rows changed (the first build, a secret changed): one query for all
			List<Trunk> loaded = changed.size() * 2 > versions.size()
					? trunks.findAllByEnabledTrueOrderByPriorityAscNameAsc() : trunks.findAllById(changed);
			for (PublishedTrunk trunk : builder.publishEach(loaded)) {
				String version = versions.get(trunk.id());
				if (version != null) {
					next.put(trunk.id(), new Published(version, trunk));
				}
			}
		}
		if (changed.isEmpty() && last.current() != null && next.size() == last.trunks().size()) {
			// the same trunks at the same row versions: the same document
			return last.current();
		}
		List<PublishedTrunk> published = next.values().stream().map(Published::trunk).toList();
		List<Long> caSecretIds = published.stream()
			.map(PublishedTrunk::caSecretId)
			.filter(Objects::nonNull)
			.distinct()
			.sorted()
			.toList();
		Current current = new Current(GenerationBuilder.document(published), caSecretIds);
		known = new Known(secrets, Collections.unmodifiableMap(next), current);
		return current;
	}

}
