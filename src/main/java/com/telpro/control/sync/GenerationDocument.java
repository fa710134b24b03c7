package com.telpro.control.sync;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The complete trunk set of one generation, laid out as the contract says, before it has a
 * generation number. Each trunk is a sorted map of its contract fields including {@code hash}.
 *
 * @param trunks in matching order (priority, then name)
 * @param contentHash sha256 hex of the canonical JSON of {@code trunks}
 */
record GenerationDocument(List<Map<String, Object>> trunks, String contentHash) {

	GenerationDocument {
		trunks = List.copyOf(trunks);
	}

	int size() {
		return trunks.size();
	}

	/** Trunk id → the trunk's {@code hash}, in matching order. */
	Map<Long, String> trunkHashes() {
		Map<Long, String> hashes = new LinkedHashMap<>();
		for (Map<String, Object> trunk : trunks) {
			hashes.put((Long) trunk.get("id"), (String) trunk.get("hash"));
		}
		return hashes;
	}

	/** The value stored under {@code telpro:v1:gen:<G>}. */
	byte[] toJson(long generation, Instant publishedAt) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("layout", RedisContract.LAYOUT);
		document.put("generation", generation);
		document.put("published_at", publishedAt.toString());
		document.put("content_hash", contentHash);
		document.put("trunks", trunks);
		return CanonicalJson.write(document);
	}

}
