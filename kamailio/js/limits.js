// Per-trunk limits across every edge: max_concurrent_calls and max_calls_per_second, admitted
// in one atomic Redis step (js/admission.js) shared by all edges. Each admitted call is also
// kept here: in the dialog profile "trunk_calls" keyed by trunk name (this edge's own count,
// also read by the admin service's edge statistics over JSON-RPC) and in the shared
// htable "limcalls" (member -> trunk id) from which the sync timer refreshes the calls' expiry
// in Redis. The call leaves both on BYE, CANCEL, a failed INVITE or the dialog timeout
// (ksr_dialog_event). Redis unreachable: this edge admits up to its share of each cap,
// ceil(cap / live edges), counted locally under a lock (REDIS-CONTRACT.md, "Call limits").

var reply = require("./reply.js");
var reasons = require("./reasons.js");
var admission = require("./admission.js");

var PROFILE = "trunk_calls";
var CALLS_TABLE = "limcalls";
var ENDING_TABLE = "limending";
var LOCK_TABLE = "limlock";
var LOCAL_CPS_TABLE = "limcps";
var SHARED_TABLE = "telpro";
var EDGES_KEY = "limits_edges";
var DIALOG_VAR = "lim";

var ADMITTED = 1;
var AT_MAX_CALLS = 0;
var AT_MAX_CPS = -1;

var CPS_RETRY_AFTER = 1;
var TEXTS = { 480: "Temporarily Unavailable", 486: "Busy Here", 503: "Service Unavailable" };

var settings = null;

// cfg values read once per process (kamailio.cfg: telpro.limit_ttl, telpro.node_name)
function config() {
	if (settings === null) {
		settings = {
			ttlMs: KSR.pv.geti("$sel(cfg_get.telpro.limit_ttl)") * 1000,
			// members go into Redis command text: keep the node name to safe characters
			node: String(KSR.pv.get("$sel(cfg_get.telpro.node_name)")).replace(/[^A-Za-z0-9._-]/g, "_")
		};
	}
	return settings;
}

// This call's member in the trunk's Redis set: "<node>/<md5 of Call-ID>".
function memberOf() {
	return config().node + "/" + String(KSR.pv.get("$(ci{s.md5})"));
}

// Admits a new call or refuses it with the trunk's limit response. Every INVITE is counted,
// also on trunks without caps, so a cap set later starts from the true count.
function admit(trunk) {
	if (!KSR.is_INVITE()) {
		return;
	}
	var member = memberOf();
	var verdict = admission.admit(trunk.id, member, trunk.maxCalls, trunk.maxCps, config().ttlMs);
	if (verdict === null) {
		verdict = admitLocally(trunk);
	} else if (verdict === ADMITTED) {
		KSR.dialog.dlg_manage();
		KSR.dialog.set_dlg_profile(PROFILE, trunk.name);
	}
	if (verdict === AT_MAX_CALLS) {
		refuse(trunk, reasons.LIMIT_CONCURRENT, 486, "max_concurrent_calls");
	}
	if (verdict === AT_MAX_CPS) {
		refuse(trunk, reasons.LIMIT_CPS, 503, "max_calls_per_second");
	}
	KSR.dialog.var_sets(DIALOG_VAR, trunk.id + " " + member);
	KSR.htable.sht_sets(CALLS_TABLE, member, String(trunk.id));
}

// The caller learns which limit it hit: Reason names it; a 503 says when to retry.
function refuse(trunk, reasonCode, defaultStatus, limitName) {
	var status = trunk.limitResponse === 0 ? defaultStatus : trunk.limitResponse;
	KSR.hdr.append_to_reply("Reason: SIP;cause=" + status + ";text=\"" + limitName + "\"\r\n");
	if (status === 503) {
		reply.unavailable(reasonCode, TEXTS[503], CPS_RETRY_AFTER);
	}
	reply.refuse(reasonCode, status, TEXTS[status]);
}

// ---------------------------------------------------------------- Redis unreachable

// live edges as last counted in Redis (1 until known: this edge alone)
function liveEdges() {
	var n = KSR.htable.sht_get(SHARED_TABLE, EDGES_KEY);
	return typeof n === "number" && n > 0 ? n : 1;
}

function share(cap) {
	return Math.ceil(cap / liveEdges());
}

// Check and count in one step per trunk and edge: a lock around the profile (and the CPS window)
// so parallel workers cannot overshoot the share.
function admitLocally(trunk) {
	var lockKey = String(trunk.id);
	KSR.htable.sht_lock(LOCK_TABLE, lockKey);
	var verdict;
	try {
		verdict = localVerdict(trunk);
		if (verdict === ADMITTED) {
			KSR.dialog.dlg_manage();
			KSR.dialog.set_dlg_profile(PROFILE, trunk.name);
		}
	} finally {
		KSR.htable.sht_unlock(LOCK_TABLE, lockKey);
	}
	return verdict;
}

function localVerdict(trunk) {
	if (trunk.maxCalls > 0) {
		if (KSR.dialog.get_profile_size(PROFILE, trunk.name, "$var(trunk_calls)") < 0) {
			return AT_MAX_CALLS;
		}
		if (KSR.pv.geti("$var(trunk_calls)") >= share(trunk.maxCalls)) {
			return AT_MAX_CALLS;
		}
	}
	if (trunk.maxCps > 0 && !takeLocalCpsSlot(trunk)) {
		return AT_MAX_CPS;
	}
	return ADMITTED;
}

// A sliding one-second window of this edge's admissions (ms timestamps) per trunk.
function takeLocalCpsSlot(trunk) {
	var key = String(trunk.id);
	var now = Date.now();
	var stored = KSR.htable.sht_get(LOCAL_CPS_TABLE, key);
	var recent = [];
	if (stored !== null && stored !== undefined && String(stored) !== "") {
		var all = String(stored).split(",");
		for (var i = 0; i < all.length; i++) {
			if (now - Number(all[i]) <= 1000) {
				recent.push(all[i]);
			}
		}
	}
	if (recent.length >= share(trunk.maxCps)) {
		return false;
	}
	recent.push(String(now));
	KSR.htable.sht_sets(LOCAL_CPS_TABLE, key, recent.join(","));
	return true;
}

// ---------------------------------------------------------------- leaving, refreshing

// slots of calls whose BYE this worker is relaying: freed once the BYE went out (afterRequest)
var endingHere = [];

// dialog module events (modparam dialog event_callback): the call left, free its slot.
// A BYE ends the dialog before it is relayed; freeing the slot then would let a new call reach
// the backend while it still holds the old one, so a BYE's slot is freed after the request
// route relayed it (afterRequest). Failures and timeouts free at once.
function onDialogEvent(evname) {
	if (evname !== "dialog:end" && evname !== "dialog:failed") {
		return;
	}
	var held = KSR.dialog.var_get(DIALOG_VAR);
	if (held === null || held === undefined) {
		return;
	}
	var parts = String(held).split(" ");
	KSR.htable.sht_rm(CALLS_TABLE, parts[1]);
	if (evname === "dialog:end" && KSR.is_BYE()) {
		endingHere.push(parts);
		return;
	}
	releaseOrRetry(parts[0], parts[1]);
}

function releaseOrRetry(trunkId, member) {
	// Redis unreachable: the sync timer retries (releaseEnded); the ttl frees it anyway
	if (admission.release(trunkId, member) === null) {
		KSR.htable.sht_sets(ENDING_TABLE, member, trunkId);
	}
}

// End of every request route (js/main.js): the BYE has been relayed, free its call's slot.
function afterRequest() {
	while (endingHere.length > 0) {
		var parts = endingHere.pop();
		releaseOrRetry(parts[0], parts[1]);
	}
}

// Sync timer, every tick: frees the slots Redis could not free when the call ended.
function releaseEnded() {
	var ended = [];
	if (KSR.htable.sht_iterator_start("limend", ENDING_TABLE) < 0) {
		return;
	}
	try {
		while (KSR.htable.sht_iterator_next("limend") > 0) {
			ended.push([String(KSR.pv.get("$shtitval(limend)")), String(KSR.pv.get("$shtitkey(limend)"))]);
		}
	} finally {
		KSR.htable.sht_iterator_end("limend");
	}
	for (var i = 0; i < ended.length; i++) {
		// Redis unreachable: the entry stays and is retried next tick (its ttl frees it anyway)
		if (admission.release(ended[i][0], ended[i][1]) !== null) {
			KSR.htable.sht_rm(ENDING_TABLE, ended[i][1]);
		}
	}
}

// Sync timer: pushes the expiry of this edge's live calls forward in Redis (an edge that dies
// stops doing so and its calls leave the count within telpro.limit_ttl), and puts back calls
// Redis lost or never saw (admitted while it was unreachable).
function refresh() {
	var byTrunk = {};
	if (KSR.htable.sht_iterator_start("limit", CALLS_TABLE) < 0) {
		return;
	}
	try {
		while (KSR.htable.sht_iterator_next("limit") > 0) {
			var member = String(KSR.pv.get("$shtitkey(limit)"));
			var trunkId = String(KSR.pv.get("$shtitval(limit)"));
			(byTrunk[trunkId] = byTrunk[trunkId] || []).push(member);
		}
	} finally {
		KSR.htable.sht_iterator_end("limit");
	}
	for (var id in byTrunk) {
		if (!admission.refresh(id, byTrunk[id], config().ttlMs)) {
			return;
		}
	}
}

// Sync timer, with the heartbeat: this edge is alive; remember how many edges share the caps.
function countEdges(heartbeatTtlSeconds) {
	var n = admission.edgeAlive(config().node, heartbeatTtlSeconds * 1000);
	if (n !== null && n > 0) {
		KSR.htable.sht_seti(SHARED_TABLE, EDGES_KEY, n);
	}
}

// Kept for relay.js: the call is already counted and its dialog managed by admit().
function track(trunk) {
	KSR.dialog.dlg_manage();
}

module.exports = {
	admit: admit,
	track: track,
	refresh: refresh,
	releaseEnded: releaseEnded,
	afterRequest: afterRequest,
	countEdges: countEdges,
	onDialogEvent: onDialogEvent
};
