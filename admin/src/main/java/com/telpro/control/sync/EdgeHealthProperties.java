package com.telpro.control.sync;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When an edge counts as gone: its heartbeat (every 2 s, key expiring after 15 s) last
 * seen longer ago than {@code staleAfter}.
 */
@ConfigurationProperties("telpro.edge-health")
record EdgeHealthProperties(@DefaultValue("10s") Duration staleAfter) {
}
