package com.telpro.control.call;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Call records: how long they are kept and how the admin service consumes the edge's
 * stream.
 *
 * @param retention records whose attempt arrived longer ago are purged
 * @param purgeInterval how often the purge runs
 * @param consumerName this instance's name in the stream's consumer group; keep it stable
 * across restarts so the records it read but had not stored yet are read again
 * @param batchSize stream entries read and stored per transaction
 * @param pollInterval pause when the stream is empty or a server is away
 * @param claimIdle entries another consumer read and left unacknowledged this long are
 * taken over
 */
@ConfigurationProperties("telpro.calls")
public record CallRecordProperties(@DefaultValue("90d") Duration retention, @DefaultValue("1h") Duration purgeInterval,
		@DefaultValue("true") boolean consumerEnabled, @DefaultValue("admin-1") String consumerName,
		@DefaultValue("500") int batchSize, @DefaultValue("250ms") Duration pollInterval,
		@DefaultValue("60s") Duration claimIdle) {
}
