package com.telpro.control.subscriber;

/**
 * A source the edge saw matching no trunk (kamailio/METRICS.md, table {@code unmatched}).
 */
public record UnmatchedSource(String address, String fromDomain, long requests) {
}
