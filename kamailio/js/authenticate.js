// Authorises an identified caller: ip_only trusts the source address, digest asks for the
// trunk's credentials, ip_and_digest needs both. HA1 values come from the generation
// document; Redis never holds a password.

var trunks = require("./trunks.js");
var identify = require("./identify.js");
var reply = require("./reply.js");
var reasons = require("./reasons.js");
var authban = require("./authban.js");
var records = require("./records.js");
var script = require("./script.js");

// auth_challenge flag: offer qop=auth
var CHALLENGE_QOP_AUTH = 1;
// pv_auth_check flag: the value given is HA1, not a password
var PASSWORD_IS_HA1 = 1;
// pv_auth_check checks: 0 - the auth user is compared with auth_user below, not with From/To,
// because carriers put the caller's number in From
var NO_USER_CHECKS = 0;

var AUTH_OK = 1;
var AUTH_WRONG_PASSWORD = -2;

function challenge(realm) {
	reply.note(reasons.AUTH_CHALLENGED);
	// auth_challenge answers an INVITE with 407
	records.refused(407);
	KSR.auth.auth_challenge(realm, CHALLENGE_QOP_AUTH);
	script.exit();
}

// A wrong user or password: counted against the source (js/authban.js), then 403.
function refuseGuess(user) {
	authban.failed(user);
	reply.refuse(reasons.AUTH_FAILED, 403, "Forbidden");
}

// Realm: the trunk's auth_realm, else the From domain (the admin service publishes one HA1
// per domain the trunk's From pattern can name).
function digest(trunk, caller) {
	var realm = trunk.realm !== null ? trunk.realm : caller.getFromHost();
	var ha1 = realm === null ? undefined : trunk.ha1[realm];
	if (ha1 === undefined || !Object.prototype.hasOwnProperty.call(trunk.ha1, realm)) {
		reply.refuse(reasons.AUTH_FAILED, 403, "Forbidden");
	}
	authban.screen();
	if (KSR.auth.has_credentials(realm) < 0) {
		challenge(realm);
	}
	var user = String(KSR.pv.get("$au"));
	authban.screenUser(user);
	if (user !== trunk.user) {
		refuseGuess(user);
	}
	var rc = KSR.auth.pv_auth_check(realm, ha1, PASSWORD_IS_HA1, NO_USER_CHECKS);
	if (rc === AUTH_OK) {
		KSR.auth.consume_credentials();
		return;
	}
	if (rc === AUTH_WRONG_PASSWORD) {
		refuseGuess(user);
	}
	// stale, expired or reused nonce, or no usable credentials: ask again
	challenge(realm);
}

function requireSourceIp(trunk, caller) {
	if (!identify.sourceInTrunk(trunk, caller)) {
		reply.refuse(reasons.SOURCE_NOT_ALLOWED, 403, "Forbidden");
	}
}

function authenticate(trunk, caller) {
	if (trunk.auth === trunks.AUTH_IP_ONLY) {
		requireSourceIp(trunk, caller);
	} else if (trunk.auth === trunks.AUTH_DIGEST) {
		digest(trunk, caller);
	} else {
		requireSourceIp(trunk, caller);
		digest(trunk, caller);
	}
}

module.exports = {
	authenticate: authenticate
};
