package com.telpro.contract;

import java.time.Duration;

/**
 * Every Redis key the admin service, the TLS watcher and Kamailio share, and the layout
 * version, in one place (this module, which both programs depend on). The document they
 * describe is {@code kamailio/REDIS-CONTRACT.md}; a change here is a change there.
 */
public final class RedisContract {

	/**
	 * Bumped, together with {@link #PREFIX}, by any change an old reader would misread.
	 */
	public static final int LAYOUT = 1;

	public static final String PREFIX = "telpro:v" + LAYOUT + ":";

	/** The live generation: the pointer a reader follows. */
	public static final String GENERATION = PREFIX + "generation";

	/** Allocates generation numbers ({@code INCR}); only the writer reads it. */
	public static final String GENERATION_SEQ = PREFIX + "generation:seq";

	/**
	 * Publish-subscribe channel carrying {@code "generation <G>"} after each switch: a
	 * hint only.
	 */
	public static final String EVENTS = PREFIX + "events";

	public static final String PROXY_PATTERN = PREFIX + "proxy:*";

	/**
	 * A document written but not yet switched to disappears on its own if its sync dies.
	 */
	public static final Duration UNPUBLISHED_DOCUMENT_TTL = Duration.ofSeconds(600);

	/**
	 * How long the replaced document stays readable for a reader that just read the old
	 * pointer.
	 */
	public static final Duration PREVIOUS_DOCUMENT_TTL = Duration.ofSeconds(120);

	public static final Duration X_CALL_TTL = Duration.ofSeconds(120);

	/**
	 * TLS material: the CA bundle (concatenated PEM, certificates only) the edge trusts.
	 */
	public static final String TLS_CA_BUNDLE = PREFIX + "tls:ca-bundle";

	/** SHA-256 hex of {@link #TLS_CA_BUNDLE}'s value: what the TLS watcher polls. */
	public static final String TLS_CA_BUNDLE_SHA256 = PREFIX + "tls:ca-bundle:sha256";

	/** The TLS watcher's status, {@code telpro:v1:tls:watcher:<node>}. */
	public static final String TLS_WATCHER_PREFIX = PREFIX + "tls:watcher:";

	/**
	 * The edge's call records (a stream; kamailio/CALL-RECORDS.md), consumed by
	 * {@link #CALLS_GROUP}.
	 */
	public static final String CALLS = PREFIX + "calls";

	/** The admin service's consumer group on {@link #CALLS}. */
	public static final String CALLS_GROUP = "admin";

	/**
	 * Live edges (sorted set: node name scored by expiry in Redis ms), written by every
	 * edge.
	 */
	public static final String LIMITS_EDGES = PREFIX + "limits:edges";

	private RedisContract() {
	}

	public static String document(long generation) {
		return PREFIX + "gen:" + generation;
	}

	public static String proxy(String node) {
		return PREFIX + "proxy:" + node;
	}

	public static String xCall(String id) {
		return PREFIX + "xcall:" + id;
	}

	/**
	 * A trunk's live calls platform-wide: member {@code <node>/<md5 of Call-ID>}, score
	 * expiry (ms).
	 */
	public static String limitCalls(long trunkId) {
		return PREFIX + "limits:" + trunkId + ":calls";
	}

	/** A trunk's admissions of the last second: score = admission time (Redis ms). */
	public static String limitCps(long trunkId) {
		return PREFIX + "limits:" + trunkId + ":cps";
	}

	public static String generationEvent(long generation) {
		return "generation " + generation;
	}

}
