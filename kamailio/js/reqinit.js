// Edge screening, before any routing: bans and flood detection for sources outside every trunk's
// IP ranges, known scanners, sanity of the message, and no relaying of in-dialog requests this
// edge never created. A request that fails a check is dropped unanswered (bans, floods,
// scanners: an attacker learns nothing and gets no amplification) or refused with the SIP code
// the check names.

var trunks = require("./trunks.js");
var reply = require("./reply.js");
var reasons = require("./reasons.js");
var records = require("./records.js");
var metrics = require("./metrics.js");

var BAN_TABLE = "ipban";

// sanity_check flags: Kamailio's default config set (R-URI SIP version and scheme, required
// headers, CSeq method and value, Content-Length, Expires, URIs parse, first Via) plus
// Proxy-Require (420 for extensions we do not support); URI checks: R-URI, From, To
var SANITY_CHECKS = 17895 | 512;
var SANITY_URI_CHECKS = 7;

// User-Agents of SIP scanners and war-dialers (sipvicious "friendly-scanner", sipcli, ...),
// lowercase; matched anywhere in the User-Agent, case-insensitively. A list of indexOf() calls:
// Duktape's regex engine tries every alternative at every position, ten times the cost.
var SCANNER_UA = ["friendly-scanner", "sipvicious", "sip-scan", "sipcli", "sundayddr", "iwar",
	"vaxsipuseragent", "pplsip", "sipbomber", "sip hacker", "voipsniff"];
// ...and as a whole word only (it is a substring of ordinary words)
var SCANNER_UA_WORD = "smap";

// Limits on what the edge passes on. Real carrier INVITEs with SDP stay under 8 KiB; WebRTC
// offers through Janus can be larger, hence the margin.
var MAX_MESSAGE_BYTES = 16384;
var MAX_RURI_BYTES = 1024;

// a Via line: sent-by host and optional port. Case-insensitive by explicit classes, not the /i
// flag, and run on one line, not with /m over the header block: Duktape's regex engine charges
// for both. viaPort keeps the semantics of /^(?:via|v)...SIP.../im over the whole block.
var VIA_LINE = /^[Vv](?:[Ii][Aa])?[ \t]*:[ \t]*[Ss][Ii][Pp][ \t]*\/[ \t]*2\.0[ \t]*\/[ \t]*[A-Za-z]+[ \t]+(\[[^\]]*\]|[^;:,\s]+)(?:[ \t]*:[ \t]*(\d+))?/;
// the same over several lines (^ after any line break), for the rare lines holding a lone CR
var VIA_LINES = /^[Vv](?:[Ii][Aa])?[ \t]*:[ \t]*[Ss][Ii][Pp][ \t]*\/[ \t]*2\.0[ \t]*\/[ \t]*[A-Za-z]+[ \t]+(\[[^\]]*\]|[^;:,\s]+)(?:[ \t]*:[ \t]*(\d+))?/m;

// methods the edge routes; anything else is answered 501 and never reaches the backend
var METHODS = {
	INVITE: true, ACK: true, BYE: true, CANCEL: true, OPTIONS: true, INFO: true, UPDATE: true,
	PRACK: true, REFER: true, NOTIFY: true, MESSAGE: true, SUBSCRIBE: true, REGISTER: true
};

var banSeconds = null;

function configuredBanSeconds() {
	if (banSeconds === null) {
		banSeconds = KSR.pv.geti("$sel(cfg_get.telpro.ban_seconds)");
	}
	return banSeconds;
}

// flat ranges [lo, hi, trunkIndex, ...]: IPv4 as numbers, IPv6 as 32 hex digits
function inFlat(flat, ip) {
	for (var i = 0; i < flat.length; i += 3) {
		if (ip >= flat[i] && ip <= flat[i + 1]) {
			return true;
		}
	}
	return false;
}

function inPairs(ranges, ip) {
	for (var i = 0; i < ranges.length; i += 2) {
		if (ip >= ranges[i] && ip <= ranges[i + 1]) {
			return true;
		}
	}
	return false;
}

// Whether the source address lies in any trunk's IP ranges (the carriers we know). Those are
// never counted or banned: a carrier's burst is the traffic the edge exists for. The caller's
// address comes parsed from identify.begin(), shared with identification.
function knownSource(index, caller) {
	if (index === null) {
		return false;
	}
	var v4 = caller.v4;
	var v6 = caller.v6;
	if (v4 >= 0) {
		if (inFlat(trunks.candidatesV4(index, v4), v4)) {
			return true;
		}
	}
	else if (v6 !== null) {
		if (inFlat(trunks.candidatesV6(index, v6), v6)) {
			return true;
		}
	}
	// trunks identified by From domain or User-Agent that authorise by IP are not in the index
	for (var j = 0; j < index.anySource.length; j++) {
		var t = index.trunks[index.anySource[j]];
		if (v4 >= 0 ? inPairs(t.r4, v4) : v6 !== null && inPairs(t.r6, v6)) {
			return true;
		}
	}
	return false;
}

function ban(si, why) {
	var seconds = configuredBanSeconds();
	if (seconds <= 0) {
		return;
	}
	KSR.htable.sht_seti(BAN_TABLE, si, 1);
	KSR.htable.sht_setex(BAN_TABLE, si, seconds);
	metrics.banned(why);
	KSR.warn("telpro: source " + si + " banned for " + seconds + " s (" + why + ")\n");
}

function drop() {
	KSR.x.exit();
}

// Floods and bans: only for sources outside the trunks' ranges, only with WITH_ANTIFLOOD.
function antiflood(si, known) {
	if (known || configuredBanSeconds() <= 0) {
		return;
	}
	if (KSR.htable.sht_get(BAN_TABLE, si) !== null) {
		reply.note(reasons.BANNED);
		records.dropped(reasons.BANNED);
		drop();
	}
	if (KSR.pike.pike_check_req() < 0) {
		ban(si, "flood");
		reply.note(reasons.BANNED);
		records.dropped(reasons.BANNED);
		drop();
	}
}

function isScanner(ua) {
	var lower = ua.toLowerCase();
	for (var i = 0; i < SCANNER_UA.length; i++) {
		if (lower.indexOf(SCANNER_UA[i]) >= 0) {
			return true;
		}
	}
	for (var at = lower.indexOf(SCANNER_UA_WORD); at >= 0; at = lower.indexOf(SCANNER_UA_WORD, at + 1)) {
		if (!isWordChar(lower.charCodeAt(at - 1)) && !isWordChar(lower.charCodeAt(at + SCANNER_UA_WORD.length))) {
			return true;
		}
	}
	return false;
}

// \w of a regex: [A-Za-z0-9_] (NaN, before the start or past the end, is not)
function isWordChar(c) {
	return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function scanners(si, known) {
	var ua = KSR.pv.get("$ua");
	if (ua === null || ua === undefined || !isScanner(String(ua))) {
		return;
	}
	if (!known) {
		ban(si, "scanner");
	}
	drop();
}

function sanity() {
	var hops = KSR.maxfwd.process_maxfwd(10);
	if (hops === -1) {
		reply.send(483, "Too Many Hops");
	}
	if (hops < 0) {
		reply.send(400, "Bad Max-Forwards");
	}
	// sanity answers the request itself (400, 420, ...) when a check fails
	if (KSR.sanity.sanity_check(SANITY_CHECKS, SANITY_URI_CHECKS) <= 0) {
		KSR.x.exit();
	}
	if (METHODS[String(KSR.pv.get("$rm"))] !== true) {
		KSR.hdr.append_to_reply("Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, PRACK, REFER, NOTIFY, MESSAGE, SUBSCRIBE, REGISTER\r\n");
		reply.send(501, "Not Implemented");
	}
}

// Whether a bare LF (one without CR before it) ends a line of the start line or headers.
// indexOf from LF to LF: a regex over the header block cost 16-59 µs per request in Duktape.
function hasBareLf(head) {
	for (var at = head.indexOf("\n"); at >= 0; at = head.indexOf("\n", at + 1)) {
		if (at === 0 || head.charCodeAt(at - 1) !== 13) {
			return true;
		}
	}
	return false;
}

// The port of the first Via line that parses (null when it has none or no Via parses): what the
// Via regex with the multiline flag finds over the whole header block, found by testing only the
// lines that can match: those starting with v/V, and lines holding a lone CR (a regex line break).
// The regex sees the rest of the block when an [IPv6 reference] may close on a later line.
function viaPort(head) {
	var start = 0;
	while (start < head.length) {
		var nl = head.indexOf("\n", start);
		var end = nl < 0 ? head.length : nl;
		var c = head.charCodeAt(start);
		var cr = head.indexOf("\r", start);
		var via = null;
		if (cr >= 0 && cr < end - 1) {
			via = VIA_LINES.exec(head.substring(start));
			via = via !== null && via.index < end - start ? via : null;
		} else if (c === 118 || c === 86) {
			var line = head.substring(start, end);
			var open = line.indexOf("[");
			via = VIA_LINE.exec(open >= 0 && line.indexOf("]", open) < 0 ? head.substring(start) : line);
		}
		if (via !== null) {
			return via[2] === undefined ? null : via[2];
		}
		start = end + 1;
	}
	return null;
}

// The body announced as SDP starts with v=0 and has an origin and a media line.
function looksLikeSdp(body) {
	var first = body.substring(0, 5);
	return (first === "v=0\r\n" || first.substring(0, 4) === "v=0\n") && body.indexOf("\no=") >= 0
		&& body.indexOf("\nm=") >= 0;
}

function isSdpType(type) {
	return type !== null && type !== undefined && String(type).substring(0, 15).toLowerCase() === "application/sdp";
}

// What sanity lets through but the backend must never see: oversized messages and URIs, NUL
// bytes in the start line or headers (a body is relayed byte for byte), bare LF line ends
// (parsers disagree on them: request smuggling), a first Via whose port cannot exist, and
// bodies announced as SDP that are not SDP. Linear scans with indexOf, no regex over the block.
function shape() {
	if (KSR.pv.geti("$ml") > MAX_MESSAGE_BYTES) {
		reply.send(513, "Message Too Large");
	}
	var msg = String(KSR.pv.get("$mb"));
	var end = msg.indexOf("\r\n\r\n");
	var head = end < 0 ? msg : msg.substring(0, end);
	if (head.indexOf("\u0000") >= 0) {
		reply.send(400, "NUL Byte In Message");
	}
	if (hasBareLf(head)) {
		reply.send(400, "Bare LF In Headers");
	}
	if (String(KSR.pv.get("$ru")).length > MAX_RURI_BYTES) {
		reply.send(414, "Request-URI Too Long");
	}
	var port = viaPort(head);
	if (port !== null && parseInt(port, 10) > 65535) {
		drop(); // no reply can reach that address
	}
	if (end >= 0 && isSdpType(KSR.pv.get("$cT")) && !looksLikeSdp(msg.substring(end + 4))) {
		reply.send(488, "Not Acceptable Here");
	}
}

// In-dialog requests are only routed for dialogs this edge set up: a forged Route on a request
// of a dialog nobody knows would otherwise make loose_route relay it anywhere.
function dialogs() {
	if (KSR.siputils.has_totag() < 0 || KSR.dialog.is_known_dlg() > 0) {
		return;
	}
	if (KSR.hdr.is_present("Route") < 0) {
		return; // no route set: the main route answers 404 or lets tm absorb the ACK
	}
	if (KSR.is_ACK()) {
		drop();
	}
	reply.send(403, "Forbidden");
}

// Every request, first thing: screening before any routing. The trunk index and the caller's
// parsed address are read once per request by main.js and shared with identification.
function screen(index, caller) {
	var known = knownSource(index, caller);
	antiflood(caller.si, known);
	scanners(caller.si, known);
	sanity();
	shape();
	dialogs();
}

module.exports = {
	screen: screen,
	knownSource: knownSource
};
