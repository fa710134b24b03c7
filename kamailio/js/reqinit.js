// Edge screening, before any routing: bans and flood detection for sources outside every trunk's
// IP ranges, known scanners, sanity of the message, and no relaying of in-dialog requests this
// edge never created. A request that fails a check is dropped unanswered (bans, floods,
// scanners: an attacker learns nothing and gets no amplification) or refused with the SIP code
// the check names.

var identify = require("./identify.js");
var reply = require("./reply.js");
var reasons = require("./reasons.js");
var records = require("./records.js");
var metrics = require("./metrics.js");
var script = require("./script.js");

var BAN_TABLE = "ipban";

// Max-Forwards, sanity_check, routed methods, message and R-URI size: kamailio.cfg's native
// route (its settings are #!define'd there); it returns 1 or the SIP code of its refusal
var NATIVE_SCREEN = "telpro_screen";
var NATIVE_PASSED = 1;

// User-Agents of SIP scanners and war-dialers (sipvicious "friendly-scanner", sipcli, ...),
// lowercase; matched anywhere in the User-Agent, case-insensitively. A list of indexOf() calls:
// Duktape's regex engine tries every alternative at every position, ten times the cost.
var SCANNER_UA = ["friendly-scanner", "sipvicious", "sip-scan", "sipcli", "sundayddr", "iwar",
	"vaxsipuseragent", "pplsip", "sipbomber", "sip hacker", "voipsniff"];
// ...and as a whole word only (it is a substring of ordinary words)
var SCANNER_UA_WORD = "smap";
// verdicts per User-Agent string, per worker: a carrier sends the same one with every request;
// emptied when full, so rotating User-Agents cost a scan each, never unbounded memory
var UA_VERDICTS_MAX = 512;

// a Via line: sent-by host and optional port. Case-insensitive by explicit classes, not the /i
// flag, and run on one line, not with /m over the header block: Duktape's regex engine charges
// for both. scanHead keeps the semantics of /^(?:via|v)...SIP.../im over the whole block.
var VIA_LINE = /^[Vv](?:[Ii][Aa])?[ \t]*:[ \t]*[Ss][Ii][Pp][ \t]*\/[ \t]*2\.0[ \t]*\/[ \t]*[A-Za-z]+[ \t]+(\[[^\]]*\]|[^;:,\s]+)(?:[ \t]*:[ \t]*(\d+))?/;
// the same over several lines (^ after any line break), for the rare lines holding a lone CR
var VIA_LINES = /^[Vv](?:[Ii][Aa])?[ \t]*:[ \t]*[Ss][Ii][Pp][ \t]*\/[ \t]*2\.0[ \t]*\/[ \t]*[A-Za-z]+[ \t]+(\[[^\]]*\]|[^;:,\s]+)(?:[ \t]*:[ \t]*(\d+))?/m;

var banSeconds = null;

function configuredBanSeconds() {
	if (banSeconds === null) {
		banSeconds = KSR.pv.geti("$sel(cfg_get.telpro.ban_seconds)");
	}
	return banSeconds;
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
	script.exit();
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

var uaVerdicts = Object.create(null);
var uaVerdictCount = 0;

function isScannerCached(ua) {
	var verdict = uaVerdicts[ua];
	if (verdict === undefined) {
		if (uaVerdictCount >= UA_VERDICTS_MAX) {
			uaVerdicts = Object.create(null);
			uaVerdictCount = 0;
		}
		verdict = isScanner(ua);
		uaVerdicts[ua] = verdict;
		uaVerdictCount++;
	}
	return verdict;
}

function scanners(si, known) {
	var ua = KSR.pv.get("$ua");
	if (ua === null || ua === undefined || !isScannerCached(String(ua))) {
		return;
	}
	if (!known) {
		ban(si, "scanner");
	}
	drop();
}

// The native route's checks (kamailio.cfg route[telpro_screen]). Anything but "passed" ends the
// request: sanity_check's own answer (0), the route's refusal, or a missing route (never open).
function sanity() {
	var rc = KSR.route(NATIVE_SCREEN);
	if (rc === NATIVE_PASSED) {
		return;
	}
	if (rc >= 400) {
		reply.send(rc, String(KSR.pv.get("$var(screen_text)")));
	}
	if (rc < 0) {
		KSR.err("telpro: route " + NATIVE_SCREEN + " failed (" + rc + "): request dropped\n");
	}
	script.exit();
}

// One pass over the lines of the start line and headers (head) for two facts: whether
// a bare LF (one without CR before it) ends a line, and the port of the first Via line that parses
// (null when none). indexOf from LF to LF: a regex over the header block cost 16-59 µs per request
// in Duktape. Every string operation costs Duktape time in proportion to the string's length
// (it counts its characters), so the lines are searched in the header block, not the message. The Via regex runs only on lines that can match: those starting with v/V, and lines
// holding a lone CR (a regex line break), where it sees the rest of the block as /m would; also
// when an [IPv6 reference] may close on a later line.
var headScan = { bareLf: false, port: null };

function scanHead(head) {
	var headEnd = head.length;
	var bareLf = false;
	var port = null;
	var viaFound = false;
	var start = 0;
	while (start < headEnd) {
		var nl = head.indexOf("\n", start);
		var end = nl < 0 || nl >= headEnd ? headEnd : nl;
		if (end < headEnd && (end === 0 || head.charCodeAt(end - 1) !== 13)) {
			bareLf = true;
		}
		if (!viaFound) {
			var via = viaOnLine(head, start, end);
			if (via !== null) {
				viaFound = true;
				port = via[2] === undefined ? null : via[2];
			}
		}
		if (bareLf && viaFound) {
			break;
		}
		start = end + 1;
	}
	headScan.bareLf = bareLf;
	headScan.port = port;
	return headScan;
}

// The Via match of the line [start, end) of the header block, or null.
function viaOnLine(head, start, end) {
	var cr = head.indexOf("\r", start);
	if (cr >= 0 && cr < end - 1) {
		var via = VIA_LINES.exec(head.substring(start));
		return via !== null && via.index < end - start ? via : null;
	}
	var c = head.charCodeAt(start);
	if (c !== 118 && c !== 86) {
		return null;
	}
	var line = head.substring(start, end);
	var open = line.indexOf("[");
	return VIA_LINE.exec(open >= 0 && line.indexOf("]", open) < 0 ? head.substring(start) : line);
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

// What sanity lets through but the backend must never see (sizes are the native route's): NUL
// bytes in the start line or headers (a body is relayed byte for byte), bare LF line ends
// (parsers disagree on them: request smuggling), a first Via whose port cannot exist, and bodies
// announced as SDP that are not SDP. Linear scans with indexOf, no regex over the block.
function shape() {
	var msg = String(KSR.pv.get("$mb"));
	var end = msg.indexOf("\r\n\r\n");
	var head = end < 0 ? msg : msg.substring(0, end);
	if (head.indexOf("\u0000") >= 0) {
		reply.send(400, "NUL Byte In Message");
	}
	var scan = scanHead(head);
	if (scan.bareLf) {
		reply.send(400, "Bare LF In Headers");
	}
	if (scan.port !== null && parseInt(scan.port, 10) > 65535) {
		drop(); // no reply can reach that address
	}
	if (end >= 0 && isSdpType(KSR.pv.get("$cT")) && !looksLikeSdp(msg.substring(end + 4))) {
		reply.send(488, "Not Acceptable Here");
	}
}

// In-dialog requests are only routed for dialogs this edge set up: a forged Route on a request
// of a dialog nobody knows would otherwise make loose_route relay it anywhere.
function dialogs(caller) {
	if (!caller.toTag || KSR.dialog.is_known_dlg() > 0) {
		return;
	}
	if (KSR.hdr.is_present("Route") < 0) {
		return; // no route set: the main route answers 404 or lets tm absorb the ACK
	}
	if (caller.method === "ACK") {
		drop();
	}
	reply.send(403, "Forbidden");
}

// Every request, first thing: screening before any routing. The trunk index and the caller's
// parsed address are read once per request by main.js and shared with identification.
function screen(index, caller) {
	// a carrier's burst is the traffic the edge exists for: its sources are never counted or banned
	var known = identify.knownSource(index, caller);
	antiflood(caller.si, known);
	scanners(caller.si, known);
	sanity();
	shape();
	dialogs(caller);
}

module.exports = {
	screen: screen
};
