package com.telpro.control.subscriber;

import java.time.LocalDateTime;

/**
 * One registered contact, as {@code kamctl ul show} lists it: the account (AOR), where
 * the phone can be reached (contact), the address a NATed REGISTER really came from
 * (received, or null), the phone's User-Agent, and when the registration expires
 * (Kamailio's local time, as it writes it).
 */
public record Registration(String aor, String contact, String received, String userAgent, LocalDateTime expires,
		LocalDateTime lastModified) {
}
