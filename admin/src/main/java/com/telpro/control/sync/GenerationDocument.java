package com.telpro.control.sync;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.telpro.contract.RedisContract;

/**
 * The complete trunk set of one generation, laid out as the contract says, before it has
 * a generation number. The trunks are serialised once, canonically; the document is
 * assembled from those bytes, so what is hashed is byte for byte what is published.
 */
final class GenerationDocument {

	private final List<PublishedTrunk> trunks;

	/** The canonical JSON array of the trunks: {@code [t1,t2,…]}. */
	private final byte[] trunksJson;

	private final String contentHash;

	GenerationDocument(List<PublishedTrunk> trunks) {
		this.trunks = List.copyOf(trunks);
		ByteArrayOutputStream array = new ByteArrayOutputStream(
				trunks.stream().mapToInt(t -> t.json().length + 1).sum() + 2);
		array.write('[');
		for (int i = 0; i < trunks.size(); i++) {
			if (i > 0) {
				array.write(',');
			}
			array.writeBytes(trunks.get(i).json());
		}
		array.write(']');
		this.trunksJson = array.toByteArray();
		this.contentHash = CanonicalJson.sha256Hex(trunksJson);
	}

	List<PublishedTrunk> trunks() {
		return trunks;
	}

	int size() {
		return trunks.size();
	}

	/** sha256 hex of the canonical JSON of the trunks array. */
	String contentHash() {
		return contentHash;
	}

	/** Trunk id → the trunk's {@code hash}, in matching order. */
	Map<Long, String> trunkHashes() {
		Map<Long, String> hashes = new LinkedHashMap<>();
		trunks.forEach(trunk -> hashes.put(trunk.id(), trunk.hash()));
		return hashes;
	}

	/**
	 * The value stored under {@code telpro:v1:gen:<G>}: keys in ascending order, like the
	 * trunks.
	 */
	byte[] toJson(long generation, Instant publishedAt) {
		Map<String, Object> head = new LinkedHashMap<>();
		head.put("content_hash", contentHash);
		head.put("generation", generation);
		head.put("layout", RedisContract.LAYOUT);
		head.put("published_at", publishedAt.toString());
		byte[] headJson = CanonicalJson.write(head);
		byte[] key = ",\"trunks\":".getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream document = new ByteArrayOutputStream(headJson.length + key.length + trunksJson.length);
		document.write(headJson, 0, headJson.length - 1);
		document.writeBytes(key);
		document.writeBytes(trunksJson);
		document.write('}');
		return document.toByteArray();
	}

}
