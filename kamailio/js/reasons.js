// The edge's reason codes: why a request to trunk processing got the answer it got. One list,
// shared with the admin service (call records, metrics, the Calls tab) through
// kamailio/REASON-CODES.md; a code is never renamed, only added.

module.exports = {
	ANSWERED: "answered",
	NOT_LOADED: "not_loaded",
	NO_MATCH: "no_match",
	TLS_REQUIRED: "tls_required",
	CLIENT_CERT_MISSING: "client_cert_missing",
	CERT_NOT_FROM_TRUNK_CA: "cert_not_from_trunk_ca",
	PEER_NAME_MISMATCH: "peer_name_mismatch",
	AUTH_CHALLENGED: "auth_challenged",
	AUTH_FAILED: "auth_failed",
	SOURCE_NOT_ALLOWED: "source_not_allowed",
	LIMIT_CONCURRENT: "limit_concurrent",
	LIMIT_CPS: "limit_cps",
	XCALL_MISSING: "xcall_missing",
	XCALL_UNKNOWN: "xcall_unknown",
	XCALL_UNAVAILABLE: "xcall_unavailable",
	SRTP_REQUIRED: "srtp_required",
	SRTP_NOT_ALLOWED: "srtp_not_allowed",
	CODEC_NOT_ALLOWED: "codec_not_allowed",
	MEDIA_UNAVAILABLE: "media_unavailable",
	BANNED: "banned",
	BACKEND_FAILED: "backend_failed",
	CALLER_CANCELLED: "caller_cancelled",
	UNSPECIFIED: "unspecified"
};
