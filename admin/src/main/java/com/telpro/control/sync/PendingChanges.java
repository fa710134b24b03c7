package com.telpro.control.sync;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.telpro.contract.RedisContract;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What "Sync All to Redis" would change, trunk by trunk and field by field: the document
 * a sync would publish now, compared with the live generation in Redis. Both sides are
 * the contract's trunk JSON, so the diff shows exactly what the edge would start
 * enforcing. The live document is parsed again only when its head (the content hash)
 * changed.
 */
@Service
public class PendingChanges {

	/**
	 * Derived from {@code cidrs} (shown there) or the hash itself: never a change of
	 * their own.
	 */
	private static final Set<String> DERIVED = Set.of("hash", "ranges_v4", "ranges_v6");

	/** HA1 digests are secrets' hashes: a change is named, values are not shown. */
	private static final Set<String> MASKED = Set.of("auth_ha1");

	static final String MASK = "(changed)";

	private final TrunkRepository trunks;

	private final GenerationBuilder builder;

	private final StringRedisTemplate redis;

	private final TransactionTemplate readOnly;

	private final ObjectMapper json = new ObjectMapper();

	private volatile Live cached;

	private static final int MAX_REMEMBERED = 100_000;

	/** {"content_hash":"<64 hex>" and a little more: ASCII, so bytes and chars agree. */
	private static final int HEAD_BYTES = 96;

	/** Trunk id → its published hash at a row version. */
	private final Map<Long, Known> hashes = new ConcurrentHashMap<>();

	PendingChanges(TrunkRepository trunks, GenerationBuilder builder, StringRedisTemplate redis,
			PlatformTransactionManager transactions) {
		this.trunks = trunks;
		this.builder = builder;
		this.redis = redis;
		this.readOnly = new TransactionTemplate(transactions);
		this.readOnly.setReadOnly(true);
	}

	/**
	 * Every trunk a sync would add, change or remove, in matching order (removed ones
	 * last).
	 * @throws SyncFailedException when Redis cannot be read
	 */
	public Pending pending() {
		Live live = live();
		List<PublishedTrunk> desired = readOnly
			.execute(status -> builder.build(trunks.findAllByEnabledTrueOrderByPriorityAscNameAsc()).trunks());
		List<TrunkChange> changes = new ArrayList<>();
		Set<Long> wanted = new HashSet<>();
		for (PublishedTrunk trunk : desired) {
			wanted.add(trunk.id());
			JsonNode served = live.trunks().get(trunk.id());
			if (served == null) {
				changes.add(new TrunkChange(trunk.id(), trunk.name(), TrunkChange.ADDED,
						fields(NullNode.getInstance(), tree(trunk))));
			}
			else if (!served.path("hash").asText().equals(trunk.hash())) {
				changes
					.add(new TrunkChange(trunk.id(), trunk.name(), TrunkChange.CHANGED, fields(served, tree(trunk))));
			}
		}
		List<Long> removedIds = live.trunks().keySet().stream().filter(id -> !wanted.contains(id)).sorted().toList();
		Set<Long> stillThere = new HashSet<>();
		readOnly.executeWithoutResult(status -> trunks.findAllById(removedIds).forEach(t -> stillThere.add(t.getId())));
		for (Long id : removedIds) {
			JsonNode served = live.trunks().get(id);
			changes.add(new TrunkChange(id, served.path("name").asText(),
					stillThere.contains(id) ? TrunkChange.DISABLED : TrunkChange.DELETED,
					fields(served, NullNode.getInstance())));
		}
		return new Pending(live.generation(), changes);
	}

	/**
	 * Which of these trunks differ from the live generation (changed, new, or disabled
	 * but still served): the "not yet synced" mark of the trunk list, computed for one
	 * page of trunks only. A trunk's published hash is remembered per row version (its
	 * password is decrypted to build it, which costs), except for trunks linking a CA,
	 * whose certificate can change without them.
	 * @param versions trunk id → the row version the page shows
	 * @throws SyncFailedException when Redis cannot be read
	 */
	public Set<Long> unsynced(Map<Long, Long> versions) {
		if (versions.isEmpty()) {
			return Set.of();
		}
		Live live = live();
		Map<Long, String> desired = new HashMap<>();
		List<Long> unknown = new ArrayList<>();
		versions.forEach((id, version) -> {
			Known known = hashes.get(id);
			if (known != null && known.version() == version) {
				desired.put(id, known.hash());
			}
			else {
				unknown.add(id);
			}
		});
		if (!unknown.isEmpty()) {
			List<Trunk> page = readOnly.execute(status -> trunks.findAllById(unknown));
			Map<Long, String> built = readOnly.execute(status -> builder.build(page).trunkHashes());
			if (hashes.size() > MAX_REMEMBERED) {
				hashes.clear();
			}
			for (Trunk trunk : page) {
				String hash = built.get(trunk.getId());
				desired.put(trunk.getId(), hash);
				if (trunk.getTlsCaSecretId() == null) {
					hashes.put(trunk.getId(), new Known(trunk.getVersion(), hash));
				}
			}
		}
		Set<Long> unsynced = new TreeSet<>();
		for (Long id : versions.keySet()) {
			if (!desired.containsKey(id)) {
				continue;
			}
			JsonNode served = live.trunks().get(id);
			String hash = desired.get(id);
			boolean same = served == null ? hash == null : served.path("hash").asText().equals(hash);
			if (!same) {
				unsynced.add(id);
			}
		}
		return unsynced;
	}

	/**
	 * @param hash null when the trunk is disabled (not published)
	 */
	private record Known(long version, String hash) {
	}

	/** The fields that differ, in the contract's (alphabetic) order. */
	/** The trunk as it would be published, hash included. */
	private JsonNode tree(PublishedTrunk trunk) {
		try {
			return json.readTree(trunk.json());
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("a published trunk is not JSON", ex);
		}
	}

	private static List<FieldChange> fields(JsonNode live, JsonNode pending) {
		Set<String> names = new TreeSet<>();
		live.fieldNames().forEachRemaining(names::add);
		pending.fieldNames().forEachRemaining(names::add);
		List<FieldChange> fields = new ArrayList<>();
		for (String name : names) {
			JsonNode before = live.path(name);
			JsonNode after = pending.path(name);
			if (DERIVED.contains(name) || before.equals(after) || (isEmpty(before) && isEmpty(after))) {
				continue;
			}
			if (MASKED.contains(name)) {
				fields.add(new FieldChange(name, isEmpty(before) ? null : MASK, isEmpty(after) ? null : MASK));
			}
			else {
				fields.add(new FieldChange(name, text(before), text(after)));
			}
		}
		return fields;
	}

	private static boolean isEmpty(JsonNode node) {
		return node == null || node.isMissingNode() || node.isNull() || (node.isContainerNode() && node.isEmpty());
	}

	private static String text(JsonNode node) {
		if (node == null || node.isMissingNode() || node.isNull()) {
			return null;
		}
		if (node.isArray()) {
			List<String> items = new ArrayList<>();
			node.forEach(item -> items.add(item.isValueNode() ? item.asText() : item.toString()));
			return String.join(", ", items);
		}
		return node.isValueNode() ? node.asText() : node.toString();
	}

	private Live live() {
		try {
			String pointer = redis.opsForValue().get(RedisContract.GENERATION);
			if (pointer == null) {
				return Live.NONE;
			}
			long generation = Long.parseLong(pointer);
			String key = RedisContract.document(generation);
			// The same number is not proof of the same document (a Redis that lost its
			// data counts
			// again from 1); its head is: the writer puts content_hash first (keys
			// sorted).
			String head = redis.opsForValue().get(key, 0, HEAD_BYTES - 1);
			Live current = cached;
			if (current != null && current.generation() == generation && head != null && !head.isEmpty()
					&& head.equals(current.head())) {
				return current;
			}
			String document = redis.opsForValue().get(key);
			Live read = parse(generation, document);
			cached = read;
			return read;
		}
		catch (RuntimeException ex) {
			if (!RedisFailures.isRedisFailure(ex)) {
				throw ex;
			}
			throw new SyncFailedException("Pending changes unknown", RedisFailures.describe(ex), ex);
		}
	}

	private Live parse(long generation, String document) {
		Map<Long, JsonNode> served = new LinkedHashMap<>();
		if (document != null) {
			try {
				Iterator<JsonNode> items = json.readTree(document).path("trunks").elements();
				items.forEachRemaining(trunk -> served.put(trunk.path("id").asLong(), trunk));
			}
			catch (IOException ex) {
				// An unreadable live document: every trunk shows as to be added, which a
				// sync repairs.
			}
		}
		String head = document == null ? null : document.substring(0, Math.min(HEAD_BYTES, document.length()));
		return new Live(generation, head, served);
	}

	/**
	 * @param head the document's first bytes (its content hash), to tell whether the next
	 * read is the same
	 */
	private record Live(Long generation, String head, Map<Long, JsonNode> trunks) {

		static final Live NONE = new Live(null, null, Map.of());

	}

	/**
	 * @param generation the live generation the changes are against, null when never
	 * synced
	 * @param trunks each trunk a sync would add, change or remove
	 */
	public record Pending(Long generation, List<TrunkChange> trunks) {

		public boolean isEmpty() {
			return trunks.isEmpty();
		}

	}

	/**
	 * @param change {@code added}, {@code changed}, {@code disabled} (still served,
	 * removed by the next sync) or {@code deleted}
	 * @param fields the contract fields that differ; live null for an added trunk,
	 * pending null for a removed one
	 */
	public record TrunkChange(long id, String name, String change, List<FieldChange> fields) {

		static final String ADDED = "added";

		static final String CHANGED = "changed";

		static final String DISABLED = "disabled";

		static final String DELETED = "deleted";

	}

	/**
	 * One contract field: its value in the live generation and after the next sync (null:
	 * absent).
	 */
	public record FieldChange(String field, String live, String pending) {
	}

}
