// Which trunk a request belongs to: the first trunk in priority order whose every
// identify_by method matches (source IP in a range AND From host AND User-Agent).

var trunks = require("./trunks.js");

// "a.b.c.d" -> unsigned 32-bit integer, or -1 when not dotted IPv4. Parsed by character codes:
// it runs for every request, and split() would allocate an array and four strings each time.
function ipv4ToInt(ip) {
	var n = 0;
	var octet = 0;
	var digits = 0;
	var dots = 0;
	for (var i = 0; i < ip.length; i++) {
		var c = ip.charCodeAt(i);
		if (c >= 48 && c <= 57) {
			octet = octet * 10 + (c - 48);
			if (++digits > 3 || octet > 255) {
				return -1;
			}
		} else if (c === 46 && digits > 0 && dots < 3) {
			n = n * 256 + octet;
			octet = 0;
			digits = 0;
			dots++;
		} else {
			return -1;
		}
	}
	return dots === 3 && digits > 0 ? n * 256 + octet : -1;
}

function hex4(n) {
	var s = n.toString(16);
	return "0000".substring(s.length) + s;
}

// Any textual IPv6 ($si may be compressed, bracketed, or end in dotted IPv4) ->
// 32 lowercase hex digits, the form ranges_v6 is compared in; null when not IPv6.
function expandIpv6(ip) {
	var s = ip.charAt(0) === "[" ? ip.substring(1, ip.length - 1) : ip;
	var zone = s.indexOf("%");
	if (zone >= 0) {
		s = s.substring(0, zone);
	}
	s = s.toLowerCase();
	var lastColon = s.lastIndexOf(":");
	if (lastColon < 0) {
		return null;
	}
	if (s.indexOf(".", lastColon) >= 0) {
		var v4 = ipv4ToInt(s.substring(lastColon + 1));
		if (v4 < 0) {
			return null;
		}
		s = s.substring(0, lastColon + 1) + hex4(Math.floor(v4 / 65536)) + ":" + hex4(v4 % 65536);
	}
	var halves = s.split("::");
	if (halves.length > 2) {
		return null;
	}
	var head = halves[0] === "" ? [] : halves[0].split(":");
	var rest = halves.length === 2 && halves[1] !== "" ? halves[1].split(":") : [];
	var missing = 8 - head.length - rest.length;
	if (halves.length === 2 ? missing < 1 : missing !== 0) {
		return null;
	}
	var groups = head;
	for (var z = 0; halves.length === 2 && z < missing; z++) {
		groups.push("0");
	}
	groups = groups.concat(rest);
	var out = "";
	for (var i = 0; i < 8; i++) {
		var g = groups[i];
		if (!/^[0-9a-f]{1,4}$/.test(g)) {
			return null;
		}
		out += "0000".substring(g.length) + g;
	}
	return out;
}

// The edge's one range test, for identification, authorisation by source address and screening's
// known-source check. ip is an IPv4 number or 32 hex digits (both order with < and >).
// ranges: [lo, hi, ...] pairs (a trunk's r4/r6)
function inPairs(ranges, ip) {
	for (var i = 0; i < ranges.length; i += 2) {
		if (ip >= ranges[i] && ip <= ranges[i + 1]) {
			return true;
		}
	}
	return false;
}

// flat: [lo, hi, trunkIndex, ...] triples (js/trunks.js candidates)
function inFlat(flat, ip) {
	for (var i = 0; i < flat.length; i += 3) {
		if (ip >= flat[i] && ip <= flat[i + 1]) {
			return true;
		}
	}
	return false;
}

// The request's facts every step asks about, read once per request: source address (parsed),
// method, whether it is in-dialog (To tag). The From host and the User-Agent are read lazily:
// most trunks never need them. One object per worker, reset per request: a worker handles one
// request at a time, and fewer allocations per request mean fewer garbage collections walking a
// large trunk index. Each KEMI call costs more in Duktape than the comparison replacing it.
function Caller() {
	this.si = "";
	this.v4 = -1;
	this.v6 = null;
	this.method = "";
	this.toTag = false;
	this.fromHost = undefined;
	this.userAgent = undefined;
}

Caller.prototype.reset = function () {
	var si = String(KSR.pv.get("$si"));
	// a worker mostly sees the same few carriers: parse only when the address changed
	if (si !== this.si) {
		this.si = si;
		this.v4 = ipv4ToInt(si);
		this.v6 = this.v4 < 0 ? expandIpv6(si) : null;
	}
	this.method = String(KSR.pv.get("$rm"));
	this.toTag = KSR.siputils.has_totag() > 0;
	this.fromHost = undefined;
	this.userAgent = undefined;
	return this;
};

Caller.prototype.getFromHost = function () {
	if (this.fromHost === undefined) {
		var fd = KSR.pv.get("$fd");
		this.fromHost = fd === null || fd === undefined ? null : String(fd).toLowerCase();
	}
	return this.fromHost;
};

Caller.prototype.getUserAgent = function () {
	if (this.userAgent === undefined) {
		var ua = KSR.pv.get("$ua");
		this.userAgent = ua === null || ua === undefined ? null : String(ua);
	}
	return this.userAgent;
};

var current = { trunk: null, caller: new Caller() };

// Source IP inside the trunk's ranges: identification by IP and ip_only/ip_and_digest auth.
function sourceInTrunk(trunk, caller) {
	if (caller.v4 >= 0) {
		return inPairs(trunk.r4, caller.v4);
	}
	return caller.v6 !== null && inPairs(trunk.r6, caller.v6);
}

// Whether the source address lies in any trunk's IP ranges (the carriers we know), whichever
// way the trunk is identified: screening never counts or bans those (js/reqinit.js).
function knownSource(index, caller) {
	if (index === null) {
		return false;
	}
	if (caller.v4 >= 0 ? inFlat(trunks.candidatesV4(index, caller.v4), caller.v4)
			: caller.v6 !== null && inFlat(trunks.candidatesV6(index, caller.v6), caller.v6)) {
		return true;
	}
	// trunks identified by From domain or User-Agent that authorise by IP are not in the index
	for (var j = 0; j < index.anySource.length; j++) {
		if (sourceInTrunk(index.trunks[index.anySource[j]], caller)) {
			return true;
		}
	}
	return false;
}

// From host and User-Agent rules (the source address is checked by the caller).
function matchesHeaders(trunk, caller) {
	if (trunk.fromDomainRe !== null) {
		var host = caller.getFromHost();
		if (host === null || !trunk.fromDomainRe.test(host)) {
			return false;
		}
	}
	if (trunk.userAgentRe !== null) {
		var ua = caller.getUserAgent();
		if (ua === null || !trunk.userAgentRe.test(ua)) {
			return false;
		}
	}
	return true;
}

// Walks the caller's candidate ranges (trunks.candidatesV4/V6: every range that can cover the
// caller, in priority order) and, merged in by priority, the trunks that do not identify by IP
// (anySource, ascending). The first trunk whose every identify_by method matches wins. The
// tight loop over numbers is the hot path with many trunks.
function firstMatch(index, flat, any, caller, ip) {
	var list = index.trunks;
	var j = 0;
	for (var i = 0; i < flat.length; i += 3) {
		if (ip < flat[i] || ip > flat[i + 1]) {
			continue;
		}
		var k = flat[i + 2];
		for (; j < any.length && any[j] < k; j++) {
			if (matchesHeaders(list[any[j]], caller)) {
				return list[any[j]];
			}
		}
		var t = list[k];
		if (t.ipOnly || matchesHeaders(t, caller)) {
			return t;
		}
	}
	for (; j < any.length; j++) {
		if (matchesHeaders(list[any[j]], caller)) {
			return list[any[j]];
		}
	}
	return null;
}

var NO_RANGES = [];

// Starts a request: reads and parses the source address once; screening (js/reqinit.js),
// identification and authentication all use this caller. Valid until the next request of this
// worker (a worker handles one request at a time).
function begin() {
	return current.caller.reset();
}

// The current request's caller, as begin() parsed it.
function caller() {
	return current.caller;
}

// {trunk (or null), caller facts for the later steps} of the current request (see begin()).
function identify(index) {
	var caller = current.caller;
	var trunk;
	if (caller.v4 >= 0) {
		trunk = firstMatch(index, trunks.candidatesV4(index, caller.v4), index.anySource, caller, caller.v4);
	} else if (caller.v6 !== null) {
		trunk = firstMatch(index, trunks.candidatesV6(index, caller.v6), index.anySource, caller, caller.v6);
	} else {
		trunk = firstMatch(index, NO_RANGES, index.anySource, caller, null);
	}
	current.trunk = trunk;
	return current;
}

module.exports = {
	begin: begin,
	caller: caller,
	identify: identify,
	sourceInTrunk: sourceInTrunk,
	knownSource: knownSource,
	expandIpv6: expandIpv6,
	ipv4ToInt: ipv4ToInt
};
