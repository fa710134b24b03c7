// Call records: one record per INVITE attempt that reaches trunk processing, answered or
// refused, with the edge's reason code (js/reasons.js), plus an "end" event when an answered
// call's BYE passes. Records go to the Redis stream telpro:v1:calls (kamailio/CALL-RECORDS.md);
// the admin service consumes it into PostgreSQL. While Redis is unreachable a record waits in a
// bounded shared-memory spool that the sync timer replays; unmatched floods are aggregated.

var redis = require("./redis.js");
var reasons = require("./reasons.js");

var LAYOUT = 1;
// the attempt as JSON while its transaction lives (AVPs follow the transaction into tm routes)
var RECORD_AVP = "$avp(telpro_rec)";
var REASON_AVP = "$avp(reason)";
// the attempt's id, kept with the dialog so the BYE can name the record it ends
var DIALOG_VAR = "rec_id";
// shared memory (kamailio.cfg): spooled records, counters, unmatched attempts per source/minute
var SPOOL = "recspool";
var COUNTERS = "recstate";
var FLOOD = "recflood";
var FLOOD_REPORTED = "recfloodr";
// records replayed per timer tick (the timer fires every 500 ms)
var REPLAY_PER_TICK = 500;

var settings = null;

function config() {
	if (settings === null) {
		settings = {
			node: String(KSR.pv.get("$sel(cfg_get.telpro.node_name)")),
			spoolMax: KSR.pv.geti("$sel(cfg_get.telpro.record_spool_max)"),
			streamMaxLen: KSR.pv.geti("$sel(cfg_get.telpro.record_stream_maxlen)"),
			floodThreshold: KSR.pv.geti("$sel(cfg_get.telpro.record_flood_threshold)")
		};
	}
	return settings;
}

function text(pv) {
	var v = KSR.pv.get(pv);
	return v === null || v === undefined ? null : String(v);
}

function isNewInvite() {
	return KSR.is_INVITE() && KSR.siputils.has_totag() < 0;
}

// ---------------------------------------------------------------- request side

// A new INVITE enters trunk processing: what the request itself says, taken now. The caller
// says whether it is one (js/main.js knows the method and the To tag already).
function begin(newInvite) {
	if (!newInvite) {
		return;
	}
	var c = config();
	var callId = text("$ci");
	var rec = {
		v: LAYOUT,
		type: "attempt",
		// node + CSeq + Call-ID: a retransmission is the same attempt, a re-INVITE after a
		// challenge (next CSeq) is a new one
		id: c.node + ":" + text("$cs") + ":" + callId,
		node: c.node,
		arrived_at: Date.now(),
		src_ip: text("$si"),
		src_port: KSR.pv.geti("$sp"),
		transport: text("$pr"),
		from_user: text("$fU"),
		from_host: text("$fd"),
		to_user: text("$tU"),
		to_host: text("$td"),
		ruri_user: text("$rU"),
		ruri_host: text("$rd"),
		call_id: callId,
		attempts: 1
	};
	KSR.pv.sets(RECORD_AVP, JSON.stringify(rec));
}

function current() {
	var json = text(RECORD_AVP);
	return json === null ? null : JSON.parse(json);
}

// The trunk is known from here on: a refusal by its TLS, authentication or limit steps names it.
function identified(trunk) {
	KSR.pv.sets("$avp(trunk)", trunk.name);
}

// What the steps learnt about the attempt (js/main.js sets the trunk AVPs) and its answer.
function complete(rec, status, reason) {
	rec.trunk = text("$avp(trunk)");
	rec.ext_call_id = text("$avp(ext_call_id)");
	rec.x_call_id = text("$avp(x_call_id)");
	rec.status = status;
	rec.reason = reason;
	rec.final_at = Date.now();
	return rec;
}

// The edge answers the attempt itself (reply.send, a challenge) or drops it (status 0).
function refused(status) {
	var rec = current();
	if (rec === null) {
		return;
	}
	KSR.pv.unset(RECORD_AVP);
	var reason = text(REASON_AVP);
	complete(rec, status, reason === null ? reasons.UNSPECIFIED : reason);
	if (isUnmatched(rec.reason) && !countUnmatched(rec.reason, rec.src_ip, rec.arrived_at)) {
		return;
	}
	append(rec);
}

// A request dropped before trunk processing (a banned source): recorded like a refusal, counted
// first so a flood past the threshold costs no record building per packet.
function dropped(reasonCode) {
	if (!isNewInvite() || !countUnmatched(reasonCode, text("$si"), Date.now())) {
		return;
	}
	begin(true);
	var rec = current();
	KSR.pv.unset(RECORD_AVP);
	KSR.pv.sets(REASON_AVP, reasonCode);
	append(complete(rec, 0, reasonCode));
}

// The attempt is relayed: its answer comes back through these tm routes (js/main.js), and the
// branch route hands the record id to the dialog, which exists only once relay.js managed it
// (a dialog variable set before that is lost).
function relayed(replyRoute, failureRoute, branchRoute) {
	if (current() === null) {
		return;
	}
	KSR.tm.t_on_reply(replyRoute);
	KSR.tm.t_on_failure(failureRoute);
	KSR.tm.t_on_branch(branchRoute);
}

// Branch route of the relayed INVITE: the dialog now exists.
function onBranch() {
	var rec = current();
	if (rec !== null) {
		KSR.dialog.var_sets(DIALOG_VAR, rec.id);
	}
}

// ---------------------------------------------------------------- tm routes and BYE

// A reply to the relayed INVITE: its 2xx answers the attempt. A retransmitted 200 repeats the
// record with the same id, which the consumer stores once.
function onReply() {
	var status = KSR.pv.geti("$rs");
	if (status < 200 || status >= 300) {
		return;
	}
	var rec = current();
	if (rec === null) {
		return;
	}
	complete(rec, status, reasons.ANSWERED);
	rec.answered_at = rec.final_at;
	append(rec);
}

// The backend's final non-2xx, its timeout, or the caller's CANCEL.
function onFailure() {
	var rec = current();
	if (rec === null) {
		return;
	}
	var reason = KSR.tm.t_is_canceled() > 0 ? reasons.CALLER_CANCELLED : reasons.BACKEND_FAILED;
	append(complete(rec, KSR.pv.geti("$T_reply_code"), reason));
}

// A BYE inside a dialog this edge set up ends the answered attempt's record.
function ended() {
	var id = KSR.dialog.var_get(DIALOG_VAR);
	if (id === null || id === undefined) {
		return;
	}
	append({ v: LAYOUT, type: "end", id: String(id), node: config().node, ended_at: Date.now() });
}

// ---------------------------------------------------------------- unmatched floods

function isUnmatched(reason) {
	return reason === reasons.NO_MATCH || reason === reasons.BANNED;
}

// Counts an unmatched attempt of its source and minute; true while it may have a record of its
// own (up to the threshold), false once the timer's aggregate record stands for it.
function countUnmatched(reason, sourceIp, at) {
	var key = reason + "|" + sourceIp + "|" + Math.floor(at / 60000);
	KSR.htable.sht_inc(FLOOD, key);
	var seen = KSR.htable.sht_get(FLOOD, key);
	return seen === null || seen <= config().floodThreshold;
}

function collect(table, limit) {
	var items = [];
	if (KSR.htable.sht_iterator_start("recit", table) < 0) {
		return items;
	}
	while (items.length < limit && KSR.htable.sht_iterator_next("recit") > 0) {
		items.push({ key: text("$shtitkey(recit)"), value: KSR.pv.get("$shtitval(recit)") });
	}
	KSR.htable.sht_iterator_end("recit");
	return items;
}

// One aggregate record per reason, source and minute past the threshold, re-sent with the new
// count whenever it grew (same id: the consumer keeps the highest count).
function reportFloods() {
	var c = config();
	var counts = collect(FLOOD, 10000);
	for (var i = 0; i < counts.length; i++) {
		var n = parseInt(counts[i].value, 10);
		if (!(n > c.floodThreshold)) {
			continue;
		}
		var reported = KSR.htable.sht_get(FLOOD_REPORTED, counts[i].key);
		if (reported !== null && parseInt(reported, 10) === n) {
			continue;
		}
		var parts = counts[i].key.split("|");
		append({
			v: LAYOUT,
			type: "attempt",
			id: c.node + ":flood:" + counts[i].key,
			node: c.node,
			arrived_at: parseInt(parts[2], 10) * 60000,
			src_ip: parts[1],
			status: parts[0] === reasons.NO_MATCH ? 403 : 0,
			reason: parts[0],
			attempts: n - c.floodThreshold,
			aggregated: true
		});
		KSR.htable.sht_seti(FLOOD_REPORTED, counts[i].key, n);
	}
}

// ---------------------------------------------------------------- stream and spool

function append(rec) {
	var json = JSON.stringify(rec);
	if (redis.xadd(redis.keys.calls, config().streamMaxLen, json) === null) {
		spool(json, rec.id);
	}
}

// Redis unreachable: keep the record in shared memory, up to record_spool_max records.
function spool(json, id) {
	var c = config();
	KSR.htable.sht_inc(COUNTERS, "spooled");
	if (KSR.htable.sht_get(COUNTERS, "spooled") > c.spoolMax) {
		KSR.htable.sht_dec(COUNTERS, "spooled");
		KSR.htable.sht_inc(COUNTERS, "lost");
		KSR.err("telpro: call record lost, spool full (" + c.spoolMax + " records): " + id + "\n");
		return;
	}
	KSR.htable.sht_inc(COUNTERS, "seq");
	var seq = KSR.htable.sht_get(COUNTERS, "seq");
	KSR.htable.sht_sets(SPOOL, node() + ":" + seq + ":" + Date.now(), json);
}

function node() {
	return config().node;
}

// Timer: spooled records go to the stream as soon as Redis answers again, oldest first is not
// needed (every record carries its own times and the consumer upserts by id).
function replaySpool() {
	var spooled = KSR.htable.sht_get(COUNTERS, "spooled");
	if (spooled === null || spooled <= 0) {
		return;
	}
	var items = collect(SPOOL, REPLAY_PER_TICK);
	var c = config();
	for (var i = 0; i < items.length; i++) {
		if (redis.xadd(redis.keys.calls, c.streamMaxLen, String(items[i].value)) === null) {
			return;
		}
		KSR.htable.sht_rm(SPOOL, items[i].key);
		KSR.htable.sht_dec(COUNTERS, "spooled");
	}
	if (items.length > 0) {
		KSR.info("telpro: " + items.length + " spooled call records replayed\n");
	}
}

// Every tick of the sync timer (own process).
function flush() {
	replaySpool();
	reportFloods();
}

module.exports = {
	begin: begin,
	identified: identified,
	refused: refused,
	dropped: dropped,
	relayed: relayed,
	onBranch: onBranch,
	onReply: onReply,
	onFailure: onFailure,
	ended: ended,
	flush: flush
};
