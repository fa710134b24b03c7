// Telpro edge - KEMI entry points. Each request goes through the spec's steps in order:
// sanity, identify, TLS, authenticate, limits, X-Call, call record, relay.
// Every step returns when its case does not apply and ends the request when it replied.

var trunks = require("./trunks.js");
var loader = require("./loader.js");
var flags = require("./flags.js");
var identify = require("./identify.js");
var tls = require("./tls.js");
var authenticate = require("./authenticate.js");
var limits = require("./limits.js");
var xcall = require("./xcall.js");
var relay = require("./relay.js");
var heartbeat = require("./heartbeat.js");
var reply = require("./reply.js");
var reasons = require("./reasons.js");
var media = require("./media.js");
var registrar = require("./registrar.js");
var rpc = require("./rpc.js");
var reqinit = require("./reqinit.js");
var platform = require("./platform.js");
var records = require("./records.js");
var metrics = require("./metrics.js");
var script = require("./script.js");

// the sync timer fires every 500 ms; the heartbeat is due every 2 s
var TICKS_PER_HEARTBEAT = 4;
var NOT_LOADED_RETRY_AFTER = 5;

// Read once per request and shared by every step: the trunk index (one htable read) and the
// caller's parsed source address.
function ksr_request_route() {
	var index = trunks.current();
	var caller = identify.begin();
	try {
		ksr_route_reqinit(index, caller);
		ksr_route_options_to_proxy(caller);
		ksr_route_withindlg(caller);
		ksr_route_cancel(caller);
		registrar.route();
		ksr_route_trunk(index, caller);
	} finally {
		// script.exit() unwinds through here: a relayed BYE's call slot is freed now
		limits.afterRequest();
	}
}

// ---------------------------------------------------------------- 1. sanity

function ksr_route_reqinit(index, caller) {
	// bans, floods, scanners, Max-Forwards, sanity, in-dialog requests of unknown dialogs
	reqinit.screen(index, caller);
	// retransmissions of a request tm already handles
	if (caller.method !== "ACK") {
		if (KSR.tmx.t_precheck_trans() > 0) {
			KSR.tm.t_check_trans();
			script.exit();
		}
		if (KSR.tm.t_check_trans() === 0) {
			script.exit();
		}
	}
}

var optionsNeedTrunk = null;
// whether the current request is an OPTIONS keepalive to the proxy (set first thing per request)
var optionsToProxy = false;

function isOptionsToProxy(caller) {
	return caller.method === "OPTIONS" && !caller.toTag && KSR.is_myself_ruri()
		&& KSR.corex.has_ruri_user() < 0;
}

// Keepalives addressed to the proxy itself; with WITH_OPTIONS_TRUNK_CHECK they are answered
// only after the trunk steps (ksr_route_trunk).
function ksr_route_options_to_proxy(caller) {
	optionsToProxy = isOptionsToProxy(caller);
	if (!optionsToProxy) {
		return;
	}
	if (optionsNeedTrunk === null) {
		optionsNeedTrunk = KSR.pv.geti("$sel(cfg_get.telpro.options_trunk_check)") === 1;
	}
	if (!optionsNeedTrunk) {
		reply.send(200, "OK");
	}
}

function ksr_route_withindlg(caller) {
	if (!caller.toTag) {
		return;
	}
	if (KSR.rr.loose_route() > 0) {
		if (caller.method === "BYE") {
			recordCallEnd();
			records.ended();
			media.end();
		}
		media.inDialog();
		registrar.inDialog();
		relay.inDialog();
	}
	if (caller.method === "ACK") {
		// ACK to a negative reply of ours or the backend's: tm owns it
		if (KSR.tm.t_check_trans() > 0) {
			KSR.tm.t_relay();
		}
		script.exit();
	}
	reply.send(404, "Not here");
}

function ksr_route_cancel(caller) {
	if (caller.method !== "CANCEL") {
		return;
	}
	if (KSR.tm.t_check_trans() > 0) {
		media.end();
		KSR.tm.t_relay();
	}
	script.exit();
}

// ---------------------------------------------------------------- 2-8. new requests from trunks

function ksr_route_trunk(index, caller) {
	var isInvite = caller.method === "INVITE";
	// every INVITE from here on gets one call record, whatever its answer
	records.begin(isInvite && !caller.toTag);
	if (index === null) {
		reply.unavailable(reasons.NOT_LOADED, "Trunk configuration not loaded", NOT_LOADED_RETRY_AFTER);
	}
	var found = identify.identify(index);
	var trunk = found.trunk;
	if (trunk === null) {
		metrics.unmatched();
		reply.refuse(reasons.NO_MATCH, 403, "Forbidden");
	}
	// the trunk of every later outcome (metrics, call records)
	records.identified(trunk);
	tls.check(trunk);
	authenticate.authenticate(trunk, found.caller);
	if (optionsToProxy) {
		reply.send(200, "OK");
	}
	var externalCallId = recordCallStart(trunk, isInvite);
	if (isInvite) {
		// from here on replies are stateful: retransmissions are absorbed and acc sees failures
		KSR.tm.t_newtran();
	}
	limits.admit(trunk);
	var xcallId = xcall.verify(trunk);
	if (xcallId !== undefined) {
		KSR.pv.sets("$avp(x_call_id)", xcallId);
	}
	media.offer(trunk);
	// only now is the X-Call spent: a call refused above keeps it usable
	xcall.spend(xcallId, media.end);
	records.relayed("ksr_call_reply", "ksr_call_failure", "ksr_call_branch");
	relay.toBackend(trunk, externalCallId);
}

// Every reply the edge relays, either direction: the platform's headers never cross (js/platform.js).
function ksr_reply_route() {
	platform.reply();
}

// tm routes armed by media.offer() for the INVITE's transaction
function ksr_media_reply() {
	media.answer();
}

function ksr_media_failure() {
	media.failed();
}

// tm routes of a relayed new INVITE (js/records.js arms them, after media.offer): the media
// steps when media is on, then the call record of the answer
var mediaOn = null;

function ksr_call_reply() {
	if (mediaOn === null) {
		mediaOn = KSR.pv.geti("$sel(cfg_get.telpro.media)") === 1;
	}
	if (mediaOn) {
		media.answer();
	}
	records.onReply();
}

function ksr_call_branch() {
	records.onBranch();
}

function ksr_call_failure() {
	if (mediaOn === null) {
		mediaOn = KSR.pv.geti("$sel(cfg_get.telpro.media)") === 1;
	}
	if (mediaOn) {
		media.failed();
	}
	records.onFailure();
}

// ---------------------------------------------------------------- 7. call records

// Values acc writes with every record of this call (see ACC_EXTRA in kamailio.cfg; the trunk's
// name is in $avp(trunk) since records.identified). Returns the external call id from the
// trunk's unique_id_header, or null.
function recordCallStart(trunk, isInvite) {
	var externalCallId = null;
	if (trunk.uniqueIdHeader !== null) {
		var v = KSR.hdr.get(trunk.uniqueIdHeader);
		if (v !== null && v !== undefined && String(v) !== "") {
			externalCallId = String(v);
		}
	}
	if (externalCallId !== null) {
		KSR.pv.sets("$avp(ext_call_id)", externalCallId);
	}
	if (isInvite) {
		flags.accountCall();
	}
	return externalCallId;
}

function recordCallEnd() {
	var trunk = KSR.dialog.var_get("trunk");
	if (trunk !== null && trunk !== undefined) {
		KSR.pv.sets("$avp(trunk)", String(trunk));
	}
	var ext = KSR.dialog.var_get("ext_call_id");
	if (ext !== null && ext !== undefined) {
		KSR.pv.sets("$avp(ext_call_id)", String(ext));
	}
	flags.accountCallEnd();
}

// ---------------------------------------------------------------- subscribers, JSON-RPC (js/registrar.js, js/rpc.js)

function ksr_registrar_reply() {
	registrar.onReply();
}

function ksr_xhttp_event(evname) {
	if (metrics.isMetricsListener()) {
		metrics.http(trunks.current());
		return;
	}
	rpc.http();
}

// ---------------------------------------------------------------- dialog events (relayed calls)

// The backend's final answer to a relayed call: the outcome the request route could not know.
function countDialogOutcome(evname) {
	var trunk = KSR.pv.get("$dlg_var(trunk)");
	if (trunk === null || trunk === undefined) {
		return;
	}
	if (evname === "dialog:start") {
		metrics.countCall(String(trunk), reasons.ANSWERED);
	} else if (evname === "dialog:failed") {
		metrics.countCall(String(trunk), reasons.BACKEND_FAILED);
	}
}

// ---------------------------------------------------------------- sync timer (own process)

var ticks = 0;
var ticksPerLimitRefresh = null;

function ksr_sync_timer() {
	loader.sync();
	records.flush();
	limits.releaseEnded();
	metrics.loaded(loader.state);
	if (ticks % TICKS_PER_HEARTBEAT === 0) {
		heartbeat.beat();
		limits.countEdges(heartbeat.TTL_SECONDS);
	}
	if (ticksPerLimitRefresh === null) {
		ticksPerLimitRefresh = Math.max(1, KSR.pv.geti("$sel(cfg_get.telpro.limit_refresh)") * 2);
	}
	if (ticks % ticksPerLimitRefresh === 0) {
		limits.refresh();
	}
	ticks++;
}

// ---------------------------------------------------------------- dialog events (call limits)

function ksr_dialog_event(evname) {
	limits.onDialogEvent(evname);
	countDialogOutcome(evname);
}
