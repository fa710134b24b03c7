// Subscribers (WITH_REGISTRAR): SIP accounts of the configured SIP domain register here and call
// each other through the proxy. Which requests take this path instead of trunk identification:
//   - every REGISTER (trunks never register to the edge);
//   - any other new request whose From domain is the SIP domain (telpro.sip_domain).
// Everything else goes to the trunk steps unchanged. Without WITH_REGISTRAR, route() returns at once.
// Accounts and their HA1 hashes are in PostgreSQL's subscriber table (auth_db); contacts in usrloc,
// written back to the location table every USRLOC_TIMER seconds (db_mode 2).

var reply = require("./reply.js");
var authban = require("./authban.js");
var flags = require("./flags.js");
var script = require("./script.js");

// auth_challenge flag: offer qop=auth
var CHALLENGE_QOP_AUTH = 1;
// auth_check flag: the user in To (REGISTER) or From (other requests) must be the auth user
var CHECK_USER_MATCHES = 1;
var AUTH_OK = 1;
var AUTH_INVALID_PASSWORD = -2;
var AUTH_USER_UNKNOWN = -3;
var AUTH_USER_MISMATCH = -8;
// nat_uac_test: 1 = private address in Contact, 2 = Via differs from the source address,
// 16 = source port differs from the port in Via
var NAT_TESTS = 19;
var LOOKUP_FOUND = 1;
var LOOKUP_METHOD_NOT_ALLOWED = -2;

var enabled = null;
var sipDomain = null;

function isEnabled() {
	if (enabled === null) {
		enabled = KSR.pv.geti("$sel(cfg_get.telpro.registrar)") === 1;
		sipDomain = String(KSR.pv.get("$sel(cfg_get.telpro.sip_domain)")).toLowerCase();
	}
	return enabled;
}

function lower(pv) {
	var v = KSR.pv.get(pv);
	return v === null || v === undefined ? null : String(v).toLowerCase();
}

// Our domain by name, or one of the proxy's own addresses (a phone configured with the IP).
function isOurDomain(host) {
	return host !== null && (host === sipDomain || KSR.is_myself("sip:" + host));
}

// Digest against the subscriber table; the realm is the SIP domain (= subscriber.domain).
// Wrong password or unknown account: 403; no, stale or replayed credentials: a new challenge.
// Failures count towards a ban of the source (js/authban.js); a banned source gets no challenge.
function authenticate() {
	authban.screen();
	if (KSR.auth.has_credentials(sipDomain) > 0) {
		authban.screenUser(String(KSR.pv.get("$au")));
	}
	var rc = KSR.auth_db.auth_check(sipDomain, "subscriber", CHECK_USER_MATCHES);
	if (rc === AUTH_OK) {
		KSR.auth.consume_credentials();
		return;
	}
	if (rc === AUTH_INVALID_PASSWORD || rc === AUTH_USER_UNKNOWN || rc === AUTH_USER_MISMATCH) {
		KSR.info("subscriber auth refused (" + rc + ") from " + KSR.pv.get("$si") + "\n");
		authban.failed(String(KSR.pv.get("$au")));
		reply.send(403, "Forbidden");
	}
	KSR.auth.auth_challenge(sipDomain, CHALLENGE_QOP_AUTH);
	script.exit();
}

function isNated() {
	return KSR.nathelper.nat_uac_test(NAT_TESTS) > 0;
}

// REGISTER -> 401 -> digest -> save. A NATed contact is stored with the address the REGISTER
// came from (received); the Contact itself is left as the phone wrote it.
function register() {
	if (!isOurDomain(lower("$td"))) {
		reply.send(403, "Not our domain");
	}
	if (isNated()) {
		KSR.nathelper.fix_nated_register();
		flags.markNatBranch();
	}
	authenticate();
	// the AOR is always user@SIP domain, whichever of our names the phone put in To
	if (KSR.registrar.save_uri("location", 0, "sip:" + KSR.pv.get("$tU") + "@" + sipDomain) < 0) {
		KSR.sl.sl_reply_error();
	}
	script.exit();
}

// A new request from a subscriber: authenticated, then to the callee's registered contacts.
function call() {
	authenticate();
	if (!KSR.is_myself_ruri()) {
		reply.send(403, "Relaying forbidden");
	}
	if (KSR.is_INVITE() || KSR.is_SUBSCRIBE()) {
		KSR.rr.record_route();
		if (isNated()) {
			// in-dialog requests towards the caller follow the alias (handle_ruri_alias)
			KSR.nathelper.set_contact_alias();
		}
	}
	KSR.sethost(sipDomain);
	var rc = KSR.registrar.lookup("location");
	if (rc === LOOKUP_METHOD_NOT_ALLOWED) {
		reply.send(405, "Method Not Allowed");
	}
	if (rc !== LOOKUP_FOUND) {
		reply.send(404, "Not Found");
	}
	if (KSR.is_INVITE()) {
		// a dialog the edge knows: its in-dialog requests pass js/reqinit.js's relay guard
		KSR.dialog.dlg_manage();
		// call records as for trunk calls (acc), without a trunk
		flags.accountCall();
		KSR.tm.t_on_reply("ksr_registrar_reply");
	}
	if (KSR.tm.t_relay() < 0) {
		KSR.sl.sl_reply_error();
	}
	script.exit();
}

// The subscriber path: REGISTER and requests from the SIP domain; returns for everything else.
function route() {
	if (!isEnabled()) {
		return;
	}
	if (KSR.is_REGISTER()) {
		register();
	}
	if (lower("$fd") === sipDomain) {
		call();
	}
}

// In-dialog requests towards a NATed subscriber: its Contact carried our alias parameter.
function inDialog() {
	if (!isEnabled()) {
		return;
	}
	var ru = KSR.pv.get("$ru");
	if (ru !== null && String(ru).indexOf(";alias=") >= 0) {
		KSR.nathelper.handle_ruri_alias();
	}
}

// Replies of a NATed callee: in-dialog requests back to it follow the alias too.
function onReply() {
	if (isNated()) {
		KSR.nathelper.set_contact_alias();
	}
}

module.exports = {
	route: route,
	inDialog: inDialog,
	onReply: onReply
};
