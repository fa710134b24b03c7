// Edge metrics for Prometheus (WITH_METRICS): counters and gauges live in xhttp_prom's shared
// memory, declared in kamailio.cfg and listed in kamailio/METRICS.md. Every label value is bounded:
// a trunk name of the loaded set, a reason code (js/reasons.js), a method class, a ban cause or a
// Redis command; a source address never becomes a label (it goes to the bounded unmatched table).
// Without WITH_METRICS every function here returns at once.

var METRICS_SOCKET = "metrics";
var TRUNK_AVP = "$avp(trunk)";
// the trunk label of outcomes before identification (xhttp_prom refuses an empty label value)
var NO_TRUNK = "(none)";
var UNMATCHED_TABLE = "unmatched";
// at most this many unmatched sources are remembered; entries expire (htable autoexpire)
var UNMATCHED_MAX = 100;
var MAX_DOMAIN_LENGTH = 64;

var enabled = null;

function isEnabled() {
	if (enabled === null) {
		enabled = KSR.pv.geti("$sel(cfg_get.telpro.metrics)") === 1;
	}
	return enabled;
}

// Label values are written into the exposition text as they are: keep them printable and unquoted.
function labelValue(text) {
	return String(text).replace(/[^\x20-\x7e]|["\\]/g, "_");
}

// INVITE, OPTIONS, REGISTER or "other": the method a caller sends is free text.
function methodClass() {
	if (KSR.is_INVITE()) {
		return "INVITE";
	}
	if (KSR.is_OPTIONS()) {
		return "OPTIONS";
	}
	if (KSR.is_REGISTER()) {
		return "REGISTER";
	}
	return "other";
}

function currentTrunk() {
	var t = KSR.pv.get(TRUNK_AVP);
	return t === null || t === undefined ? NO_TRUNK : labelValue(t);
}

// One request that ends with this reason (called by js/reply.js, once per final outcome).
function count(reasonCode) {
	if (!isEnabled()) {
		return;
	}
	KSR.xhttp_prom.counter_inc_l3("requests_total", 1, currentTrunk(), reasonCode, methodClass());
}

// The final outcome of a relayed call, from the dialog's events (the request's AVPs are gone there).
function countCall(trunkName, reasonCode) {
	if (!isEnabled()) {
		return;
	}
	KSR.xhttp_prom.counter_inc_l3("requests_total", 1, labelValue(trunkName), reasonCode, "INVITE");
}

function banned(cause) {
	if (isEnabled()) {
		KSR.xhttp_prom.counter_inc_l1("bans_total", 1, cause);
	}
}

function redisError(command) {
	if (isEnabled()) {
		KSR.xhttp_prom.counter_inc_l1("redis_errors_total", 1, command);
	}
}

// A source that matched no trunk: remembered as "<address>|<From domain>" with its request count,
// so the admin service can offer "create a trunk from this". A full table takes no new source
// until entries expire: a scan from many addresses cannot grow it.
function unmatched() {
	if (!isEnabled()) {
		return;
	}
	KSR.xhttp_prom.counter_inc_l0("unmatched_total", 1);
	var fd = KSR.pv.get("$fd");
	var domain = fd === null || fd === undefined ? "" : String(fd).toLowerCase();
	domain = domain.substring(0, MAX_DOMAIN_LENGTH).replace(/[^a-z0-9.\-\[\]:]/g, "_");
	var key = String(KSR.pv.get("$si")) + "|" + domain;
	if (KSR.htable.sht_get(UNMATCHED_TABLE, key) !== null) {
		KSR.htable.sht_inc(UNMATCHED_TABLE, key);
		return;
	}
	if (KSR.pv.geti("$shtcn(" + UNMATCHED_TABLE + "=>.)") < UNMATCHED_MAX) {
		KSR.htable.sht_seti(UNMATCHED_TABLE, key, 1);
	}
}

// The sync timer's view after each poll: generation in force, when it loaded, trunks accepted and
// refused. Set only when the generation changes.
var shownGeneration = -1;

function loaded(state) {
	if (!isEnabled() || state.generation === shownGeneration) {
		return;
	}
	shownGeneration = state.generation;
	var at = state.loadedAt === null ? 0 : Date.parse(state.loadedAt) / 1000;
	KSR.xhttp_prom.gauge_set_l0("generation", String(state.generation));
	KSR.xhttp_prom.gauge_set_l0("generation_loaded_timestamp_seconds", String(at));
	KSR.xhttp_prom.gauge_set_l0("trunks_loaded", String(state.trunks));
	KSR.xhttp_prom.gauge_set_l0("trunks_refused", String(state.refused.length));
}

// Active calls against the cap of every trunk of the set, refreshed just before each scrape.
function callGauges(index) {
	if (index === null) {
		return;
	}
	for (var i = 0; i < index.trunks.length; i++) {
		var t = index.trunks[i];
		var name = labelValue(t.name);
		if (KSR.dialog.get_profile_size("trunk_calls", t.name, "$var(metrics_calls)") > 0) {
			KSR.xhttp_prom.gauge_set_l1("trunk_active_calls", String(KSR.pv.geti("$var(metrics_calls)")), name);
		}
		KSR.xhttp_prom.gauge_set_l1("trunk_max_calls", String(t.maxCalls), name);
	}
}

function isMetricsListener() {
	var socket = KSR.pv.get("$Rn");
	return socket !== null && socket !== undefined && String(socket) === METRICS_SOCKET;
}

function isMetricsPath() {
	var path = String(KSR.pv.get("$hu"));
	return path === "/metrics" || path.indexOf("/metrics?") === 0;
}

// GET /metrics on the metrics listener; anything else there is 404.
function http(index) {
	if (!isMetricsPath() || String(KSR.pv.get("$rm")) !== "GET") {
		KSR.xhttp.xhttp_reply(404, "Not Found", "text/plain", "Not Found\n");
		return;
	}
	callGauges(index);
	KSR.xhttp_prom.dispatch();
}

module.exports = {
	count: count,
	countCall: countCall,
	banned: banned,
	redisError: redisError,
	unmatched: unmatched,
	loaded: loaded,
	isMetricsListener: isMetricsListener,
	http: http
};
