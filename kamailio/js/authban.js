// Password guessing: failed digest answers (trunks in js/authenticate.js, REGISTER and subscriber
// calls in js/registrar.js) are counted in shared memory per source address and per source + user.
// A source outside every trunk's IP ranges that reaches the limit is banned (the ipban table that
// js/reqinit.js drops from); a source inside a trunk's ranges is a carrier's address that other
// customers may share, so it is never banned as a whole: only the user that failed from it is
// refused there. The scanner User-Agent list is no defence against an ordinary User-Agent.

var trunks = require("./trunks.js");
var identify = require("./identify.js");
var reply = require("./reply.js");
var records = require("./records.js");
var reasons = require("./reasons.js");
var script = require("./script.js");

var FAIL_TABLE = "authfail";
var BAN_TABLE = "ipban";

var settings = null;

function configured() {
	if (settings === null) {
		settings = {
			limit: KSR.pv.geti("$sel(cfg_get.telpro.auth_fail_limit)"),
			window: KSR.pv.geti("$sel(cfg_get.telpro.auth_fail_window)"),
			ban: KSR.pv.geti("$sel(cfg_get.telpro.auth_ban_seconds)")
		};
	}
	return settings;
}

function source() {
	return String(KSR.pv.get("$si"));
}

function pairKey(si, user) {
	return si + "|" + user;
}

// One more failure under key; the counter's window starts with its first failure.
function count(key, window) {
	var n = KSR.htable.sht_inc(FAIL_TABLE, key);
	if (n === 1) {
		KSR.htable.sht_setex(FAIL_TABLE, key, window);
	}
	return n;
}

// Bans the source; its counters start again from zero when the ban expires.
function ban(si, failures, s) {
	KSR.htable.sht_seti(BAN_TABLE, si, 1);
	KSR.htable.sht_setex(BAN_TABLE, si, s.ban);
	KSR.htable.sht_rm_name_re(FAIL_TABLE, "^" + si.replace(/[.[\]\\]/g, "\\$&") + "([|]|$)");
	KSR.warn("telpro: source " + si + " banned for " + s.ban + " s (password guessing: " + failures
		+ " failed digest authentications in " + s.window + " s)\n");
}

// Before any challenge: a banned source gets no answer at all (nothing to guess against).
// js/reqinit.js already drops banned sources when antiflood is on; this holds without it too.
function screen() {
	if (configured().limit <= 0) {
		return;
	}
	if (KSR.htable.sht_get(BAN_TABLE, source()) !== null) {
		reply.note(reasons.BANNED);
		records.refused(0);
		script.exit();
	}
}

// With credentials in hand: the user already failed too often from this source (the case of a
// source inside a trunk's ranges, which is not banned) -> 403 without checking the password.
function screenUser(user) {
	var s = configured();
	if (s.limit <= 0) {
		return;
	}
	var n = KSR.htable.sht_get(FAIL_TABLE, pairKey(source(), user));
	if (n !== null && n !== undefined && n >= s.limit) {
		reply.refuse(reasons.BANNED, 403, "Forbidden");
	}
}

// A wrong password, unknown user or user mismatch after a challenge.
function failed(user) {
	var s = configured();
	if (s.limit <= 0) {
		return;
	}
	var si = source();
	var bySource = count(si, s.window);
	var byUser = count(pairKey(si, user), s.window);
	if (identify.knownSource(trunks.current(), identify.caller())) {
		if (byUser === s.limit) {
			KSR.warn("telpro: user '" + user.replace(/[^\x21-\x7e]/g, "?") + "' refused from trunk address "
				+ si + " for " + s.window + " s (" + byUser + " failed digest authentications)\n");
		}
		return;
	}
	if (bySource >= s.limit) {
		ban(si, bySource, s);
	}
}

module.exports = {
	screen: screen,
	screenUser: screenUser,
	failed: failed
};
