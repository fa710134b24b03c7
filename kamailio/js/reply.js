// Final answers of the edge. sl's send_reply answers statefully when a transaction exists
// (so tm absorbs retransmissions and acc sees the failure) and statelessly otherwise.

var records = require("./records.js");
var metrics = require("./metrics.js");
var script = require("./script.js");

// the reason code (js/reasons.js) of the request's answer, for call records and metrics
var REASON_AVP = "$avp(reason)";

// Sends the final reply and ends the script for this request.
// An INVITE in trunk processing gets its call record with this answer (js/records.js).
function send(code, reason) {
	records.refused(code);
	KSR.sl.send_reply(code, reason);
	script.exit();
}

// Remembers why this request ends here without sending anything yet (challenges, drops), and
// counts it: every outcome of trunk processing passes here exactly once.
function note(reasonCode) {
	KSR.pv.sets(REASON_AVP, reasonCode);
	metrics.count(reasonCode);
}

// Refuses the request for one of the edge's reasons (js/reasons.js).
function refuse(reasonCode, code, text) {
	note(reasonCode);
	send(code, text);
}

// 503 for "try again shortly": Redis unreachable or nothing loaded yet.
function unavailable(reasonCode, text, retryAfterSeconds) {
	note(reasonCode);
	KSR.hdr.append_to_reply("Retry-After: " + retryAfterSeconds + "\r\n");
	send(503, text);
}

module.exports = {
	send: send,
	note: note,
	refuse: refuse,
	unavailable: unavailable,
	REASON_AVP: REASON_AVP
};
