package com.telpro.control.sync;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import com.telpro.control.common.LogSafe;
import com.telpro.control.security.AuditableChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * "Sync All to Redis" and the drift between PostgreSQL and what Redis serves. Syncing
 * only reads PostgreSQL (plus one history row); a sync that fails leaves the previous
 * generation live.
 */
@Service
public class SyncService {

	private static final Logger log = LoggerFactory.getLogger(SyncService.class);

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

	private final CurrentGeneration currentGeneration;

	private final GenerationPublisher publisher;

	private final ProxyHeartbeats heartbeats;

	private final TlsMaterialPublisher tlsMaterial;

	private final SyncRunRepository runs;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate readOnly;

	private final TransactionTemplate writing;

	/** Generations are published in the order they are numbered. */
	private final SyncInputsDigest inputs;

	/**
	 * The document of the last build with the digest of its inputs; the drift view reuses
	 * it.
	 */
	private volatile Desired desired;

	private record Desired(String digest, GenerationDocument document) {
	}

	private final ReentrantLock syncLock = new ReentrantLock(true);

	SyncService(CurrentGeneration currentGeneration, GenerationPublisher publisher, ProxyHeartbeats heartbeats,
			TlsMaterialPublisher tlsMaterial, SyncRunRepository runs, ApplicationEventPublisher events,
			PlatformTransactionManager transactions, SyncInputsDigest inputs) {
		this.inputs = inputs;
		this.currentGeneration = currentGeneration;
		this.publisher = publisher;
		this.heartbeats = heartbeats;
		this.tlsMaterial = tlsMaterial;
		this.runs = runs;
		this.events = events;
		this.readOnly = new TransactionTemplate(transactions);
		this.readOnly.setReadOnly(true);
		this.writing = new TransactionTemplate(transactions);
	}

	/**
	 * Publishes every enabled trunk as a new generation and switches to it.
	 * @param actor who asked, for the history and the audit log
	 * @throws SyncFailedException when Redis fails; the previous generation is still live
	 */
	public SyncResult syncAll(String requestedBy) {
		String actor = LogSafe.of(requestedBy);
		syncLock.lock();
		try {
			Instant startedAt = Instant.now();
			long start = System.nanoTime();
			// a sync always builds from the database (each trunk again when its row
			// changed); the digest only lets the drift view reuse the document
			String digest = inputs.current();
			CurrentGeneration.Current current = currentGeneration.build();
			GenerationDocument document = current.document();
			desired = new Desired(digest, document);
			Instant publishedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			GenerationPublisher.PublishedGeneration published;
			try {
				// The CA bundle first: a trunk that names a new CA goes live once the
				// edge can trust it.
				tlsMaterial.publishCaCertificates(current.caSecretIds());
				published = publisher.publish(document, publishedAt);
			}
			catch (RuntimeException ex) {
				if (!RedisFailures.isRedisFailure(ex)) {
					throw ex;
				}
				String reason = RedisFailures.describe(ex);
				long durationMs = (System.nanoTime() - start) / 1_000_000;
				log.warn("Sync failed after {} ms, the previous generation stays live: {}", durationMs, reason);
				recordFailure(startedAt, actor, document.size(), durationMs, reason);
				throw new SyncFailedException("Sync failed", reason + " (the previous generation stays live)", ex);
			}
			long durationMs = (System.nanoTime() - start) / 1_000_000;
			recordSuccess(startedAt, actor, published.generation(), document, durationMs);
			log.info("Published generation {}: {} trunks, {} bytes, {} ms", published.generation(), document.size(),
					published.bytes(), durationMs);
			return new SyncResult(published.generation(), document.size(), durationMs, document.contentHash(),
					publishedAt, published.previous());
		}
		finally {
			syncLock.unlock();
		}
	}

	/**
	 * @throws SyncFailedException when Redis cannot be read: drift is unknown then
	 */
	public SyncStatus status() {
		GenerationDocument desired = desiredDocument();
		GenerationPublisher.LiveGeneration live;
		List<ProxyHeartbeat> proxies;
		try {
			live = publisher.live();
			proxies = heartbeats.all();
		}
		catch (RuntimeException ex) {
			if (!RedisFailures.isRedisFailure(ex)) {
				throw ex;
			}
			throw new SyncFailedException("Sync status unknown", RedisFailures.describe(ex), ex);
		}
		SyncStatus.LastSync lastSync = history().stream().findFirst().orElse(null);
		Long generation = live == null ? null : live.generation();
		List<SyncStatus.ProxyStatus> proxyStatuses = proxies.stream().map(p -> proxyStatus(p, generation)).toList();
		if (live == null) {
			SyncStatus.Pending pending = new SyncStatus.Pending(desired.size(), 0, 0, desired.size());
			return new SyncStatus(SyncStatus.NEVER_SYNCED,
					"never synced: " + plural(desired.size(), "trunk") + " to publish", null, null, pending,
					desired.size(), 0, lastSync, proxyStatuses);
		}
		SyncStatus.Pending pending = drift(desired, live);
		String state;
		String message;
		if (pending.total() == 0) {
			state = SyncStatus.IN_SYNC;
			String since = live.publishedAt() == null ? "?"
					: CLOCK.format(live.publishedAt().atZone(ZoneId.systemDefault()));
			message = "in sync since " + since + ", generation " + live.generation();
		}
		else {
			state = SyncStatus.PENDING;
			message = plural(pending.total(), "change") + " pending sync";
		}
		return new SyncStatus(state, message, live.generation(), live.publishedAt(), pending, desired.size(),
				live.trunkHashes().size(), lastSync, proxyStatuses);
	}

	/** The latest sync attempts, newest first. */
	public List<SyncStatus.LastSync> history() {
		return readOnly
			.execute(status -> runs.findTop10ByOrderByStartedAtDescIdDesc().stream().map(SyncService::view).toList());
	}

	private static SyncStatus.LastSync view(SyncRun run) {
		return new SyncStatus.LastSync(run.getStartedAt(), run.getActor(), run.getOutcome(), run.getGeneration(),
				run.getTrunks(), run.getDurationMs(), run.getError());
	}

	/**
	 * What a sync would publish now: built again only when a trunk or a secret changed.
	 */
	private GenerationDocument desiredDocument() {
		String digest = inputs.current();
		Desired last = desired;
		if (last != null && last.digest().equals(digest)) {
			return last.document();
		}
		GenerationDocument document = currentGeneration.build().document();
		desired = new Desired(digest, document);
		return document;
	}

	static SyncStatus.Pending drift(GenerationDocument desired, GenerationPublisher.LiveGeneration live) {
		Map<Long, String> wanted = desired.trunkHashes();
		Map<Long, String> served = live.trunkHashes();
		int added = 0;
		int changed = 0;
		for (Map.Entry<Long, String> trunk : wanted.entrySet()) {
			String publishedHash = served.get(trunk.getKey());
			if (publishedHash == null) {
				added++;
			}
			else if (!publishedHash.equals(trunk.getValue())) {
				changed++;
			}
		}
		Set<Long> removedIds = new HashSet<>(served.keySet());
		removedIds.removeAll(wanted.keySet());
		int removed = removedIds.size();
		int total = added + changed + removed;
		if (total == 0 && !desired.contentHash().equals(live.contentHash())) {
			// Same trunks, same contents, yet not the same document (order, or an
			// unreadable one).
			changed = 1;
			total = 1;
		}
		return new SyncStatus.Pending(added, changed, removed, total);
	}

	private static SyncStatus.ProxyStatus proxyStatus(ProxyHeartbeat proxy, Long latest) {
		boolean current = latest != null && proxy.generation() == latest;
		String message = "proxy " + proxy.node() + " on generation " + proxy.generation() + " (latest "
				+ (latest == null ? "none" : latest) + ")";
		return new SyncStatus.ProxyStatus(proxy.node(), proxy.generation(), current, proxy.loadedAt(), proxy.trunks(),
				proxy.refused(), proxy.seenAt(), message);
	}

	private void recordSuccess(Instant startedAt, String actor, long generation, GenerationDocument document,
			long durationMs) {
		Map<String, Object> after = new LinkedHashMap<>();
		after.put("generation", generation);
		after.put("trunks", document.size());
		after.put("content_hash", document.contentHash());
		writing.executeWithoutResult(status -> {
			runs.save(
					SyncRun.success(startedAt, actor, generation, document.size(), document.contentHash(), durationMs));
			events.publishEvent(new AuditableChange("sync.publish", "sync", Long.toString(generation), null, after));
		});
	}

	private void recordFailure(Instant startedAt, String actor, int trunkCount, long durationMs, String reason) {
		try {
			writing.executeWithoutResult(
					status -> runs.save(SyncRun.failure(startedAt, actor, trunkCount, durationMs, reason)));
		}
		catch (RuntimeException ex) {
			log.warn("The failed sync could not be recorded either: {}", LogSafe.of(ex.getMessage()));
		}
	}

	private static String plural(int count, String noun) {
		return count + " " + noun + (count == 1 ? "" : "s");
	}

}
