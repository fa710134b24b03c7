// The trunk set in the SIP workers: the sync timer (js/loader.js) shares the accepted set through
// shared memory (htable); each worker indexes it on first use after a change and looks callers up.
//
// Why this shape: a worker must not ask Redis per request, and reading many htable entries per
// request costs more than the match itself. So the timer stores the accepted set as ONE compact
// JSON string plus a marker; a worker compares the marker (one sht_get) with the copy it built
// its index from, and rebuilds only when it changed.

var SHM_TABLE = "telpro";
var SHM_SET = "set";
var SHM_MARKER = "marker";

var IDENTIFY_IP = 1;
var IDENTIFY_FROM_DOMAIN = 2;
var IDENTIFY_USER_AGENT = 4;

var AUTH_IP_ONLY = 0;
var AUTH_DIGEST = 1;
var AUTH_IP_AND_DIGEST = 2;

// A range wider than this many /16 buckets goes to a list every IPv4 caller is checked against,
// so a /8 does not fill 256 buckets.
var MAX_BUCKETS_PER_RANGE = 256;

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
// ---------------------------------------------------------------- sharing (sync timer)

// Writes the set first and the marker last, so a worker that sees the new marker finds the set.
function share(generation, accepted) {
	var text = JSON.stringify({ generation: generation, trunks: accepted.map(withoutDefaults) });
	KSR.htable.sht_sets(SHM_TABLE, SHM_SET, text);
	KSR.htable.sht_sets(SHM_TABLE, SHM_MARKER, generation + ":" + Date.now());
}

module.exports = {
	IDENTIFY_IP: IDENTIFY_IP,
	IDENTIFY_FROM_DOMAIN: IDENTIFY_FROM_DOMAIN,
	IDENTIFY_USER_AGENT: IDENTIFY_USER_AGENT,
	AUTH_IP_ONLY: AUTH_IP_ONLY,
	AUTH_DIGEST: AUTH_DIGEST,
	AUTH_IP_AND_DIGEST: AUTH_IP_AND_DIGEST,
	buildIndex: buildIndex,
	candidatesV4: candidatesV4,
	candidatesV6: candidatesV6,
	current: current,
	share: share
};
