package com.telpro.control.sync;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

/**
 * "Which trunk gets this call?": the facts of a request, given one by one or as a pasted
 * raw request (a field given explicitly wins over what the raw request says).
 */
public record MatchRequest(
		@Schema(example = "203.0.113.7",
				description = "the address the request comes from; default: the top Via of raw_request") @Size(
						max = 100) String sourceIp,
		@Schema(example = "udp", description = "udp, tcp or tls; default: the top Via of raw_request, else udp") @Size(
				max = 10) String transport,
		@Schema(example = "sip:+15551234567@sip.carrier.example") @Size(max = 1000) String fromUri,
		@Schema(example = "Carrier SBC 4.2") @Size(max = 1000) String userAgent,
		@Schema(description = "the client certificate the carrier presents over TLS (PEM)") @Size(
				max = 20000) String tlsClientCertPem,
		@Schema(description = "a SIP request as received (headers are enough)") @Size(max = 65535) String rawRequest,
		@Schema(defaultValue = "live",
				description = "live: the generation in force; pending: the trunks as saved, before a sync") @Size(
						max = 10) String state) {
}
