// Hands accepted requests to the backend and keeps the proxy on the path of the dialog.

var limits = require("./limits.js");
var platform = require("./platform.js");
var script = require("./script.js");

var TRUNK_HEADER = "X-Telpro-Trunk";
var EXTERNAL_ID_HEADER = "X-Telpro-External-Call-Id";

var backend = null;

function backendUri() {
	if (backend === null) {
		backend = String(KSR.pv.get("$sel(cfg_get.telpro.backend_uri)"));
	}
	return backend;
}

function send() {
	if (KSR.tm.t_relay() < 0) {
		KSR.sl.sl_reply_error();
	}
	script.exit();
}

// Our headers are facts the backend trusts, so a caller's copies never pass through
// (js/platform.js removes every X-Telpro-* header first).
function setTelproHeaders(trunk, externalCallId) {
	platform.initial(trunk);
	KSR.hdr.append(TRUNK_HEADER + ": " + trunk.name + "\r\n");
	if (externalCallId !== null) {
		KSR.hdr.append(EXTERNAL_ID_HEADER + ": " + externalCallId + "\r\n");
	}
}

// A new request from an accepted trunk: to the backend, tracked and recorded when it is a call.
function toBackend(trunk, externalCallId) {
	setTelproHeaders(trunk, externalCallId);
	if (KSR.is_INVITE()) {
		limits.track(trunk);
		platform.rememberForDialog(trunk);
		KSR.dialog.var_sets("trunk", trunk.name);
		if (externalCallId !== null) {
			KSR.dialog.var_sets("ext_call_id", externalCallId);
		}
		KSR.rr.record_route();
		KSR.tmx.t_flush_flags();
	}
	KSR.setdsturi(backendUri());
	send();
}

// Requests inside a dialog follow the route set either side recorded, without the platform's
// headers from either side (js/platform.js).
function inDialog() {
	platform.inDialog();
	if (KSR.is_INVITE()) {
		KSR.rr.record_route();
	}
	send();
}

module.exports = {
	toBackend: toBackend,
	inDialog: inDialog
};
