// Edge screening, before any routing: bans and flood detection for sources outside every trunk's
// IP ranges, known scanners, sanity of the message, and no relaying of in-dialog requests this
// edge never created. A request that fails a check is dropped unanswered (bans, floods,
// scanners: an attacker learns nothing and gets no amplification) or refused with the SIP code
// the check names.

var trunks = require("./trunks.js");
var identify = require("./identify.js");
var reply = require("./reply.js");
var reasons = require("./reasons.js");
var metrics = require("./metrics.js");

var BAN_TABLE = "ipban";

// sanity_check flags: Kamailio's default config set (R-URI SIP version and scheme, required
// headers, CSeq method and value, Content-Length, Expires, URIs parse, first Via) plus
// Proxy-Require (420 for extensions we do not support); URI checks: R-URI, From, To
var SANITY_CHECKS = 17895 | 512;
var SANITY_URI_CHECKS = 7;

// User-Agents of SIP scanners and war-dialers (sipvicious "friendly-scanner", sipcli, ...)
var SCANNER_UA = /friendly-scanner|sipvicious|sip-scan|sipcli|sundayddr|iwar|vaxsipuseragent|pplsip|sipbomber|\bsmap\b|sip hacker|voipsniff/i;

// Limits on what the edge passes on. Real carrier INVITEs with SDP stay under 8 KiB; WebRTC
// offers through Janus can be larger, hence the margin.
var MAX_MESSAGE_BYTES = 16384;
var MAX_RURI_BYTES = 1024;

// first Via line: sent-by host and optional port
var FIRST_VIA = /^(?:via|v)[ \t]*:[ \t]*SIP[ \t]*\/[ \t]*2\.0[ \t]*\/[ \t]*[A-Za-z]+[ \t]+(\[[^\]]*\]|[^;:,\s]+)(?:[ \t]*:[ \t]*(\d+))?/im;

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

function inFlatV4(flat, ip) {
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
// never counted or banned: a carrier's burst is the traffic the edge exists for.
function knownSource(index, si) {
	if (index === null) {
		return false;
	}
	var v4 = identify.ipv4ToInt(si);
	var v6 = v4 < 0 ? identify.expandIpv6(si) : null;
	if (v4 >= 0) {
		var flat = index.v4Buckets[v4 >>> 16];
		if (inFlatV4(flat === undefined ? index.v4Wide : flat, v4)) {
			return true;
		}
	}
	else if (v6 !== null) {
		for (var i = 0; i < index.v6.length; i++) {
			if (inPairs(index.trunks[index.v6[i]].r6, v6)) {
				return true;
			}
		}
	}
	// trunks identified by From domain or User-Agent that authorise by IP are not in the buckets
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
		drop();
	}
	if (KSR.pike.pike_check_req() < 0) {
		ban(si, "flood");
		reply.note(reasons.BANNED);
		drop();
	}
}

function scanners(si, known) {
	var ua = KSR.pv.get("$ua");
	if (ua === null || ua === undefined || !SCANNER_UA.test(String(ua))) {
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

// What sanity lets through but the backend must never see: oversized messages and URIs, NUL
// bytes, bare LF line ends (parsers disagree on them: request smuggling), a first Via whose
// port cannot exist, and bodies announced as SDP that are not SDP.
function shape() {
	if (KSR.pv.geti("$ml") > MAX_MESSAGE_BYTES) {
		reply.send(513, "Message Too Large");
	}
	var msg = String(KSR.pv.get("$mb"));
	if (msg.indexOf("\u0000") >= 0) {
		reply.send(400, "NUL Byte In Message");
	}
	var end = msg.indexOf("\r\n\r\n");
	var head = end < 0 ? msg : msg.substring(0, end);
	if (/(^|[^\r])\n/.test(head)) {
		reply.send(400, "Bare LF In Headers");
	}
	if (String(KSR.pv.get("$ru")).length > MAX_RURI_BYTES) {
		reply.send(414, "Request-URI Too Long");
	}
	var via = FIRST_VIA.exec(head);
	if (via !== null && via[2] !== undefined && parseInt(via[2], 10) > 65535) {
		drop(); // no reply can reach that address
	}
	var type = KSR.pv.get("$cT");
	if (end >= 0 && type !== null && type !== undefined && /^application\/sdp/i.test(String(type))) {
		var body = msg.substring(end + 4);
		if (!/^v=0\r?\n/.test(body) || !/\no=/.test(body) || !/\nm=/.test(body)) {
			reply.send(488, "Not Acceptable Here");
		}
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

// Every request, first thing: screening before any routing.
function screen() {
	var si = String(KSR.pv.get("$si"));
	var known = knownSource(trunks.current(), si);
	antiflood(si, known);
	scanners(si, known);
	sanity();
	shape();
	dialogs();
}

module.exports = {
	screen: screen,
	knownSource: knownSource
};
