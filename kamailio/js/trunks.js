// The trunk set: loaded from Redis by the sync timer, validated there once, handed to the SIP
// workers through shared memory (htable), and indexed per worker on first use after a change.
//
// Why this shape: a worker must not ask Redis per request, and reading many htable entries per
// request costs more than the match itself. So the timer stores the accepted set as ONE compact
// JSON string plus a marker; a worker compares the marker (one sht_get) with the copy it built
// its index from, and rebuilds only when it changed.

var redis = require("./redis.js");

var LAYOUT = 1;
var SHM_TABLE = "telpro";
var SHM_SET = "set";
var SHM_MARKER = "marker";

var IDENTIFY_IP = 1;
var IDENTIFY_FROM_DOMAIN = 2;
var IDENTIFY_USER_AGENT = 4;
var IDENTIFY_METHODS = { source_ip: IDENTIFY_IP, from_domain: IDENTIFY_FROM_DOMAIN, user_agent: IDENTIFY_USER_AGENT };

var AUTH_IP_ONLY = 0;
var AUTH_DIGEST = 1;
var AUTH_IP_AND_DIGEST = 2;
var AUTH_METHODS = { ip_only: AUTH_IP_ONLY, digest: AUTH_DIGEST, ip_and_digest: AUTH_IP_AND_DIGEST };

var SRTP_MODES = { disabled: true, prefer: true, require: true };
var PEER_NAME_MODES = { disabled: true, enabled: true };
// what a caller over a limit gets when the trunk chooses (null/0: 486 for calls, 503 for CPS)
var LIMIT_RESPONSES = { 480: true, 486: true, 503: true };
var CODEC_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// an RFC 3261 token, as a header name must be
var HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

// A range wider than this many /16 buckets goes to a list every IPv4 caller is checked against,
// so a /8 does not fill 256 buckets.
var MAX_BUCKETS_PER_RANGE = 256;

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
		fromDomain: usedPattern(t, "from_domain_pattern", identify, IDENTIFY_FROM_DOMAIN),
		userAgent: usedPattern(t, "user_agent_pattern", identify, IDENTIFY_USER_AGENT),
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
	var needsIp = (identify & IDENTIFY_IP) !== 0 || auth !== AUTH_DIGEST;
	if (needsIp && c.r4.length === 0 && c.r6.length === 0) {
		fail("source IP ranges are required by identify_by or auth_method");
	}
	if (c.uniqueIdHeader !== null && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(c.uniqueIdHeader)) {
		fail("unique_id_header is not a header name");
	}
	if (auth !== AUTH_IP_ONLY) {
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

// ---------------------------------------------------------------- publishing (sync timer)

// Writes the set first and the marker last, so a worker that sees the new marker finds the set.
function publish(loaded) {
	var text = JSON.stringify({ generation: loaded.generation, trunks: loaded.trunks.map(withoutDefaults) });
	KSR.htable.sht_sets(SHM_TABLE, SHM_SET, text);
	KSR.htable.sht_sets(SHM_TABLE, SHM_MARKER, loaded.generation + ":" + Date.now());
}

// ---------------------------------------------------------------- index (SIP workers)

// A flat list of IPv4 ranges [lo, hi, trunkIndex, ...] in trunk (priority) order: the match
// loop then runs without a function call per candidate, which is what Duktape charges most for.
function addRange(flat, lo, hi, index) {
	flat.push(lo, hi, index);
}

// Merges two flat range lists by trunk index, keeping priority order.
function mergeFlat(a, b) {
	var out = [];
	var i = 0;
	var j = 0;
	while (i < a.length || j < b.length) {
		var fromA = j >= b.length || (i < a.length && a[i + 2] <= b[j + 2]);
		var src = fromA ? a : b;
		var at = fromA ? i : j;
		out.push(src[at], src[at + 1], src[at + 2]);
		if (fromA) {
			i += 3;
		} else {
			j += 3;
		}
	}
	return out;
}

// Fields the timer leaves out of the shared copy when they hold their default, so each worker
// parses less after a reload; restored here before use.
var DEFAULTS = {
	r4: [], r6: [], fromDomain: null, userAgent: null, realm: null, user: null, ha1: null,
	requireTls: false, verifyPeer: false, requireClientCert: false, peerName: null,
	caFingerprint: null, uniqueIdHeader: null, internal: false, requiresXCall: false, maxCalls: 0,
	maxCps: 0, limitResponse: 0,
	srtp: "disabled", symmetricRtp: false, codecs: [], stripHeaders: []
};

function isDefault(field, value) {
	var d = DEFAULTS[field];
	if (Array.isArray(d)) {
		return Array.isArray(value) && value.length === 0;
	}
	return d !== undefined && value === d;
}

function withoutDefaults(trunk) {
	var out = {};
	for (var field in trunk) {
		if (!isDefault(field, trunk[field])) {
			out[field] = trunk[field];
		}
	}
	return out;
}

function withDefaults(trunk) {
	for (var field in DEFAULTS) {
		if (trunk[field] === undefined) {
			trunk[field] = DEFAULTS[field];
		}
	}
	return trunk;
}

// A bucket with more ranges than this is turned into an interval table, so many trunks in one
// /16 (or many IPv6 trunks) cost a binary search instead of a scan of all of them.
var CROWDED_BUCKET = 16;
// An interval table may hold at most this many entries per range (plus a constant): nested
// ranges could otherwise make it quadratic. Past it the bucket stays a flat list.
var TABLE_ENTRIES_PER_RANGE = 8;
var TABLE_ENTRIES_EXTRA = 4096;
var EMPTY = [];

function afterV4(hi) {
	return hi + 1;
}

// the first 32-hex-digit key above hi: "~" sorts after every hex digit, and hi + "~" before any
// longer-than-hi key that is above hi
function afterV6(hi) {
	return hi + "~";
}

function compareKeys(a, b) {
	return a < b ? -1 : a > b ? 1 : 0;
}

// Flat ranges [lo, hi, trunkIndex, ...] in priority order -> {starts, lists}: the key space cut
// at every range's start and end; lists[i] holds, in the same priority order, exactly the ranges
// covering [starts[i], starts[i + 1]). A lookup is a binary search plus a scan of that short
// list, and since every range covering the caller is in it, in order, the first trunk found is
// the one a scan of the whole bucket would find. Null when the table would grow too large.
function intervalTable(flat, after) {
	var count = flat.length / 3;
	var byLo = [];
	var cuts = [];
	for (var p = 0; p < flat.length; p += 3) {
		byLo.push(p);
		cuts.push(flat[p], after(flat[p + 1]));
	}
	byLo.sort(function (a, b) {
		return compareKeys(flat[a], flat[b]) || a - b;
	});
	cuts.sort(compareKeys);
	var starts = [];
	var lists = [];
	var active = [];
	var next = 0;
	var budget = count * TABLE_ENTRIES_PER_RANGE + TABLE_ENTRIES_EXTRA;
	for (var c = 0; c < cuts.length; c++) {
		var at = cuts[c];
		if (c > 0 && cuts[c - 1] === at) {
			continue;
		}
		active = active.filter(function (q) {
			return compareKeys(after(flat[q + 1]), at) > 0;
		});
		for (; next < byLo.length && compareKeys(flat[byLo[next]], at) <= 0; next++) {
			insertSorted(active, byLo[next]);
		}
		var list = EMPTY;
		if (active.length > 0) {
			list = [];
			for (var a = 0; a < active.length; a++) {
				list.push(flat[active[a]], flat[active[a] + 1], flat[active[a] + 2]);
			}
			budget -= active.length;
			if (budget < 0) {
				return null;
			}
		}
		starts.push(at);
		lists.push(list);
	}
	return { starts: starts, lists: lists };
}

function insertSorted(list, value) {
	var i = list.length;
	list.push(value);
	while (i > 0 && list[i - 1] > value) {
		list[i] = list[i - 1];
		i--;
	}
	list[i] = value;
}

// A bucket as the lookup wants it: small ones stay flat, crowded ones become interval tables.
function compactBucket(flat, after) {
	if (flat.length / 3 <= CROWDED_BUCKET) {
		return flat;
	}
	var table = intervalTable(flat, after);
	return table === null ? flat : table;
}

// The flat ranges of a bucket that can cover key (all of them, in priority order).
function lookup(bucket, key) {
	if (bucket.starts === undefined) {
		return bucket;
	}
	var starts = bucket.starts;
	var lo = 0;
	var hi = starts.length - 1;
	if (hi < 0 || key < starts[0]) {
		return EMPTY;
	}
	while (lo < hi) {
		var mid = (lo + hi + 1) >>> 1;
		if (starts[mid] <= key) {
			lo = mid;
		} else {
			hi = mid - 1;
		}
	}
	return bucket.lists[lo];
}

// IPv4 ranges of IP-identified trunks that can cover ip, as flat ranges in priority order.
function candidatesV4(index, ip) {
	var bucket = index.v4Buckets[ip >>> 16];
	return lookup(bucket === undefined ? index.v4Wide : bucket, ip);
}

// The same for an IPv6 caller (32 hex digits).
function candidatesV6(index, ip) {
	return lookup(index.v6Ranges, ip);
}

// Candidates per source family, all in priority (array) order, as flat ranges or interval tables:
//  v4Buckets[src >>> 16] - IPv4 ranges touching that /16 (wide ranges merged in)
//  v4Wide                - ranges wider than MAX_BUCKETS_PER_RANGE /16s
//  v6Ranges              - every IPv6 range
//  anySource             - indices of trunks that do not identify by source IP
// Only IP-identified trunks are in the first three.
function buildIndex(set) {
	var trunks = set.trunks;
	var buckets = {};
	var wide = [];
	var v6 = [];
	var anySource = [];
	for (var i = 0; i < trunks.length; i++) {
		var t = withDefaults(trunks[i]);
		t.fromDomainRe = t.fromDomain === null ? null : new RegExp(t.fromDomain);
		t.userAgentRe = t.userAgent === null ? null : new RegExp(t.userAgent);
		t.ipOnly = t.identify === IDENTIFY_IP;
		if ((t.identify & IDENTIFY_IP) === 0) {
			anySource.push(i);
			continue;
		}
		for (var r = 0; r < t.r4.length; r += 2) {
			var lo = t.r4[r];
			var hi = t.r4[r + 1];
			var first = lo >>> 16;
			var last = hi >>> 16;
			if (last - first >= MAX_BUCKETS_PER_RANGE) {
				addRange(wide, lo, hi, i);
				continue;
			}
			for (var b = first; b <= last; b++) {
				if (buckets[b] === undefined) {
					buckets[b] = [];
				}
				addRange(buckets[b], lo, hi, i);
			}
		}
		for (var r6 = 0; r6 < t.r6.length; r6 += 2) {
			addRange(v6, t.r6[r6], t.r6[r6 + 1], i);
		}
	}
	for (var key in buckets) {
		buckets[key] = compactBucket(wide.length > 0 ? mergeFlat(buckets[key], wide) : buckets[key], afterV4);
	}
	return {
		generation: set.generation,
		trunks: trunks,
		v4Buckets: buckets,
		v4Wide: compactBucket(wide, afterV4),
		v6Ranges: compactBucket(v6, afterV6),
		anySource: anySource
	};
}

var cache = { marker: null, index: null };

// The index for this worker, or null while no generation has ever loaded (callers answer 503).
function current() {
	var marker = KSR.htable.sht_get(SHM_TABLE, SHM_MARKER);
	if (marker === null || marker === undefined) {
		return null;
	}
	if (marker !== cache.marker) {
		var text = KSR.htable.sht_get(SHM_TABLE, SHM_SET);
		if (text === null || text === undefined) {
			return cache.index;
		}
		var started = Date.now();
		cache.index = buildIndex(JSON.parse(text));
		cache.marker = marker;
		KSR.info("telpro: worker index of generation " + cache.index.generation + " built in "
			+ (Date.now() - started) + " ms\n");
	}
	return cache.index;
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
	publish(loaded);
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
	IDENTIFY_IP: IDENTIFY_IP,
	IDENTIFY_FROM_DOMAIN: IDENTIFY_FROM_DOMAIN,
	IDENTIFY_USER_AGENT: IDENTIFY_USER_AGENT,
	AUTH_IP_ONLY: AUTH_IP_ONLY,
	AUTH_DIGEST: AUTH_DIGEST,
	AUTH_IP_AND_DIGEST: AUTH_IP_AND_DIGEST,
	validateDocument: validateDocument,
	buildIndex: buildIndex,
	candidatesV4: candidatesV4,
	candidatesV6: candidatesV6,
	current: current,
	sync: sync,
	state: state,
	nowIso: nowIso
};
