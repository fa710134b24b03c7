package com.telpro.control.secret;

import java.time.Instant;

/**
 * A CA_CERT secret as other features see it: what a trunk form lists and the sync
 * publishes.
 */
public record CaCertificateInfo(long id, String name, String subject, Instant notAfter, String fingerprintSha256) {
}
