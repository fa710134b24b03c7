// The sync timer's loader (its own process): polls the generation pointer in Redis, reads and
// validates a new generation document once, and hands the accepted set to the SIP workers
// through js/trunks.js (shared memory). Workers never load this module's work.

var redis = require("./redis.js");
var trunks = require("./trunks.js");

var LAYOUT = 1;

var IDENTIFY_METHODS = {
	source_ip: trunks.IDENTIFY_IP, from_domain: trunks.IDENTIFY_FROM_DOMAIN, user_agent: trunks.IDENTIFY_USER_AGENT
};
var AUTH_METHODS = { ip_only: trunks.AUTH_IP_ONLY, digest: trunks.AUTH_DIGEST, ip_and_digest: trunks.AUTH_IP_AND_DIGEST };

var SRTP_MODES = { disabled: true, prefer: true, require: true };
var PEER_NAME_MODES = { disabled: true, enabled: true };
// what a caller over a limit gets when the trunk chooses (null/0: 486 for calls, 503 for CPS)
var LIMIT_RESPONSES = { 480: true, 486: true, 503: true };
var CODEC_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// an RFC 3261 token, as a header name must be
var HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

var HEX32 = /^[0-9a-f]{32}$/;
var MAX_V4 = 4294967295;

// ---------------------------------------------------------------- validation (sync timer)

function fail(reason) {
	throw new Error(reason);
}

function optionalString(t, field) {
	var v = t[field];
	if (v === undefined || v === null || v === "") {
		return null;
	}
	if (typeof v !== "string") {
		fail(field + " must be a string or null");
	}
	return v;
}

function flag(t, field) {
	var v = t[field];
	if (v === undefined || v === null) {
		return false;
	}
	if (typeof v !== "boolean") {
		fail(field + " must be a boolean");
	}
	return v;
}

function isUint32(n) {
	return typeof n === "number" && n % 1 === 0 && n >= 0 && n <= MAX_V4;
}

function flatRangesV4(list) {
	var flat = [];
	if (list === undefined || list === null) {
		return flat;
	}
	if (!Array.isArray(list)) {
		fail("ranges_v4 must be an array");
	}
	for (var i = 0; i < list.length; i++) {
		var r = list[i];
		if (!Array.isArray(r) || r.length !== 2 || !isUint32(r[0]) || !isUint32(r[1]) || r[0] > r[1]) {
			fail("bad IPv4 range at ranges_v4[" + i + "]");
		}
		flat.push(r[0], r[1]);
	}
	return flat;
}

function flatRangesV6(list) {
	var flat = [];
	if (list === undefined || list === null) {
		return flat;
	}
	if (!Array.isArray(list)) {
		fail("ranges_v6 must be an array");
	}
	for (var i = 0; i < list.length; i++) {
		var r = list[i];
		if (!Array.isArray(r) || r.length !== 2 || !HEX32.test(r[0]) || !HEX32.test(r[1]) || r[0] > r[1]) {
			fail("bad IPv6 range at ranges_v6[" + i + "]");
		}
		flat.push(r[0], r[1]);
	}
	return flat;
}

function pattern(t, field, required) {
	var p = optionalString(t, field);
	if (p === null) {
		if (required) {
			fail(field + " is required by identify_by");
		}
		return null;
	}
	try {
		new RegExp(p);
	} catch (e) {
		fail(field + " does not compile");
	}
	return p;
}

// A pattern counts, and is validated, only when its method is in identify_by (as the admin
// service validates it): a stale pattern of an unused method never refuses a trunk.
function usedPattern(t, field, identify, method) {
	return (identify & method) !== 0 ? pattern(t, field, true) : null;
}

function identifyMask(t) {
	var list = t.identify_by;
	if (!Array.isArray(list) || list.length === 0) {
		fail("identify_by must be a non-empty array");
	}
	var mask = 0;
	for (var i = 0; i < list.length; i++) {
		var bit = IDENTIFY_METHODS[list[i]];
		if (bit === undefined) {
			fail("unknown identify_by method");
		}
		mask |= bit;
	}
	return mask;
}

function digestCredentials(t, realm) {
	var user = optionalString(t, "auth_user");
	if (user === null) {
		fail("auth_user is required for digest");
	}
	var given = t.auth_ha1;
	if (given === null || typeof given !== "object" || Array.isArray(given)) {
		fail("auth_ha1 is required for digest");
	}
	var ha1 = {};
	var count = 0;
	for (var r in given) {
		if (!Object.prototype.hasOwnProperty.call(given, r)) {
			continue;
		}
		if (typeof given[r] !== "string" || !HEX32.test(given[r])) {
			fail("auth_ha1 entry is not 32 hex digits");
		}
		ha1[r] = given[r];
		count++;
	}
	if (realm !== null ? ha1[realm] === undefined : count === 0) {
		fail("missing HA1 for the digest realm");
	}
	return { user: user, ha1: ha1 };
}

// Codec names in preference order; js/media.js turns them into RTPEngine flags.
function codecList(t) {
	var list = t.codecs;
	if (list === undefined || list === null) {
		return [];
	}
	if (!Array.isArray(list)) {
		fail("codecs must be an array");
	}
	for (var i = 0; i < list.length; i++) {
		if (typeof list[i] !== "string" || !CODEC_NAME.test(list[i])) {
			fail("codecs[" + i + "] is not a codec name");
		}
	}
	return list.slice();
}

// Header names the edge removes from this carrier's requests (js/platform.js).
function stripHeaderList(t) {
	var list = t.strip_headers;
	if (list === undefined || list === null) {
		return [];
	}
	if (!Array.isArray(list)) {
		fail("strip_headers must be an array");
	}
	for (var i = 0; i < list.length; i++) {
		if (typeof list[i] !== "string" || !HEADER_NAME.test(list[i])) {
			fail("strip_headers[" + i + "] is not a header name");
		}
	}
	return list.slice();
}

// Returns the compact record workers index, or throws with the reason the trunk is refused.
function compactTrunk(t) {
	if (t === null || typeof t !== "object") {
		fail("not an object");
	}
	if (typeof t.name !== "string" || t.name === "" || /[\r\n\x00]/.test(t.name)) {
		fail("name must be a non-empty single-line string");
	}
	var identify = identifyMask(t);
	var auth = AUTH_METHODS[t.auth_method];
	if (auth === undefined) {
		fail("unknown auth_method");
	}
	if (t.srtp_mode !== undefined && t.srtp_mode !== null && !SRTP_MODES[t.srtp_mode]) {
		fail("unknown srtp_mode");
	}
	if (t.peer_name_verification !== undefined && t.peer_name_verification !== null
			&& !PEER_NAME_MODES[t.peer_name_verification]) {
		fail("unknown peer_name_verification");
	}
	var max = t.max_concurrent_calls === undefined || t.max_concurrent_calls === null ? 0 : t.max_concurrent_calls;
	if (typeof max !== "number" || max % 1 !== 0 || max < 0) {
		fail("max_concurrent_calls must be an integer >= 0");
	}
	// the id names the trunk's call-limit keys in Redis (js/admission.js)
	if (typeof t.id !== "number" || t.id % 1 !== 0 || t.id < 0) {
		fail("id must be an integer >= 0");
	}
	var maxCps = t.max_calls_per_second === undefined || t.max_calls_per_second === null ? 0 : t.max_calls_per_second;
	if (typeof maxCps !== "number" || maxCps % 1 !== 0 || maxCps < 0) {
		fail("max_calls_per_second must be an integer >= 0");
	}
	var limitResponse = t.limit_response === undefined || t.limit_response === null ? 0 : t.limit_response;
	if (limitResponse !== 0 && !LIMIT_RESPONSES[limitResponse]) {
		fail("limit_response must be 486, 480, 503 or null");
	}
	var c = {
		id: t.id,
		name: t.name,
		identify: identify,
		r4: flatRangesV4(t.ranges_v4),
		r6: flatRangesV6(t.ranges_v6),
		fromDomain: usedPattern(t, "from_domain_pattern", identify, trunks.IDENTIFY_FROM_DOMAIN),
		userAgent: usedPattern(t, "user_agent_pattern", identify, trunks.IDENTIFY_USER_AGENT),
		auth: auth,
		realm: optionalString(t, "auth_realm"),
		user: null,
		ha1: null,
		requireTls: flag(t, "require_tls"),
		verifyPeer: flag(t, "verify_peer"),
		requireClientCert: flag(t, "require_client_cert"),
		// enabled without a name: "" matches no certificate (js/tls.js refuses), never "no check"
		peerName: t.peer_name_verification === "enabled" ? (optionalString(t, "tls_remote_subject_name") || "") : null,
		caFingerprint: optionalString(t, "tls_ca_fingerprint"),
		uniqueIdHeader: optionalString(t, "unique_id_header"),
		internal: flag(t, "is_internal"),
		requiresXCall: flag(t, "requires_x_call"),
		maxCalls: max,
		maxCps: maxCps,
		limitResponse: limitResponse,
		srtp: t.srtp_mode === undefined || t.srtp_mode === null ? "disabled" : t.srtp_mode,
		symmetricRtp: flag(t, "symmetric_rtp"),
		codecs: codecList(t),
		stripHeaders: stripHeaderList(t)
	};
	var needsIp = (identify & trunks.IDENTIFY_IP) !== 0 || auth !== trunks.AUTH_DIGEST;
	if (needsIp && c.r4.length === 0 && c.r6.length === 0) {
		fail("source IP ranges are required by identify_by or auth_method");
	}
	if (c.uniqueIdHeader !== null && !HEADER_NAME.test(c.uniqueIdHeader)) {
		fail("unique_id_header is not a header name");
	}
	if (auth !== trunks.AUTH_IP_ONLY) {
		var cred = digestCredentials(t, c.realm);
		c.user = cred.user;
		c.ha1 = cred.ha1;
	}
	return c;
}

// Parses and validates one generation document.
// Returns {generation, trunks: [compact], refused: [{id, name, reason}]} or {error: reason}:
// a document that is not JSON or has another layout is refused whole.
function validateDocument(text, generation) {
	var doc;
	try {
		doc = JSON.parse(text);
	} catch (e) {
		return { error: "document is not valid JSON" };
	}
	if (doc === null || typeof doc !== "object" || doc.layout !== LAYOUT) {
		return { error: "document layout is not " + LAYOUT };
	}
	if (!Array.isArray(doc.trunks)) {
		return { error: "document has no trunks array" };
	}
	var accepted = [];
	var refused = [];
	var names = {};
	for (var i = 0; i < doc.trunks.length; i++) {
		var t = doc.trunks[i];
		var name = t && typeof t.name === "string" ? t.name : null;
		try {
			if (name !== null && names[name]) {
				fail("duplicate name");
			}
			accepted.push(compactTrunk(t));
			names[name] = true;
		} catch (e) {
			refused.push({ id: t && t.id !== undefined ? t.id : null, name: name, reason: e.message });
		}
	}
	return { generation: generation, trunks: accepted, refused: refused };
}

// ---------------------------------------------------------------- sync (timer process)

// What the timer loaded last; the heartbeat reports it.
var state = { generation: 0, loadedAt: null, trunks: 0, refused: [], rejectedGeneration: 0, pointerLost: false };

function nowIso() {
	return new Date().toISOString();
}

// One poll: read the pointer, and only when it moved read, validate and publish the document.
// Every failure keeps the previous generation in force.
function sync() {
	var pointer = redis.get(redis.keys.generation);
	if (pointer === null) {
		return;
	}
	if (pointer.value === null) {
		// Redis answered but lost its data: whatever generation is published next is new,
		// even if the writer's counter restarts at a number seen before
		state.pointerLost = state.generation !== 0;
		return;
	}
	var generation = parseInt(pointer.value, 10);
	if (!(generation > 0) || String(generation) !== pointer.value.trim()) {
		KSR.err("telpro: generation pointer is not a positive integer\n");
		return;
	}
	if (!state.pointerLost && (generation === state.generation || generation === state.rejectedGeneration)) {
		return;
	}
	var started = Date.now();
	var doc = redis.get(redis.keys.document(generation));
	if (doc === null) {
		return;
	}
	if (doc.value === null) {
		KSR.err("telpro: document of generation " + generation + " is missing\n");
		return;
	}
	var loaded = validateDocument(doc.value, generation);
	if (loaded.error) {
		KSR.err("telpro: generation " + generation + " refused: " + loaded.error
			+ "; generation " + state.generation + " stays in force\n");
		state.rejectedGeneration = generation;
		state.pointerLost = false;
		return;
	}
	trunks.share(loaded.generation, loaded.trunks);
	state.generation = generation;
	state.loadedAt = nowIso();
	state.trunks = loaded.trunks.length;
	state.refused = loaded.refused;
	state.rejectedGeneration = 0;
	state.pointerLost = false;
	for (var i = 0; i < loaded.refused.length; i++) {
		var r = loaded.refused[i];
		KSR.err("telpro: trunk id=" + r.id + " refused in generation " + generation + ": " + r.reason + "\n");
	}
	KSR.notice("telpro: generation " + generation + " loaded, " + loaded.trunks.length + " trunks, "
		+ loaded.refused.length + " refused, " + (Date.now() - started) + " ms\n");
}

module.exports = {
	validateDocument: validateDocument,
	sync: sync,
	state: state,
	nowIso: nowIso
};
