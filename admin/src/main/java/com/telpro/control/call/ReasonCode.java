package com.telpro.control.call;

import java.util.Arrays;
import java.util.Optional;

/**
 * The edge's reason codes, the same list as {@code kamailio/js/reasons.js} and
 * {@code kamailio/REASON-CODES.md} (a test keeps the three equal). A code is never
 * renamed.
 */
public enum ReasonCode {

	ANSWERED("answered"), NOT_LOADED("not_loaded"), NO_MATCH("no_match"), TLS_REQUIRED("tls_required"),
	CLIENT_CERT_MISSING("client_cert_missing"), CERT_NOT_FROM_TRUNK_CA("cert_not_from_trunk_ca"),
	PEER_NAME_MISMATCH("peer_name_mismatch"), AUTH_CHALLENGED("auth_challenged"), AUTH_FAILED("auth_failed"),
	SOURCE_NOT_ALLOWED("source_not_allowed"), LIMIT_CONCURRENT("limit_concurrent"), LIMIT_CPS("limit_cps"),
	XCALL_MISSING("xcall_missing"), XCALL_UNKNOWN("xcall_unknown"), XCALL_UNAVAILABLE("xcall_unavailable"),
	SRTP_REQUIRED("srtp_required"), SRTP_NOT_ALLOWED("srtp_not_allowed"), CODEC_NOT_ALLOWED("codec_not_allowed"),
	MEDIA_UNAVAILABLE("media_unavailable"), BANNED("banned"), BACKEND_FAILED("backend_failed"),
	CALLER_CANCELLED("caller_cancelled"), UNSPECIFIED("unspecified");

	private final String code;

	ReasonCode(String code) {
		this.code = code;
	}

	public String code() {
		return code;
	}

	public static Optional<ReasonCode> of(String code) {
		return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
	}

	/**
	 * What became of an attempt with this reason and final status (0: dropped
	 * unanswered).
	 */
	public static String outcome(String reason, Integer status) {
		if (ANSWERED.code.equals(reason)) {
			return CallOutcome.ANSWERED;
		}
		if (BACKEND_FAILED.code.equals(reason) || CALLER_CANCELLED.code.equals(reason)) {
			return CallOutcome.UNANSWERED;
		}
		if (status != null && status == 0) {
			return CallOutcome.DROPPED;
		}
		return reason == null ? null : CallOutcome.REFUSED;
	}

}
