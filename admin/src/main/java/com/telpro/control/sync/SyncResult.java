package com.telpro.control.sync;

import java.time.Instant;

/**
 * What one "Sync All to Redis" published.
 *
 * @param previousGeneration the generation it replaced, null on the first sync
 */
public record SyncResult(long generation, int trunks, long durationMs, String contentHash, Instant publishedAt,
		Long previousGeneration) {
}
