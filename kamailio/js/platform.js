// The trust boundary for headers. The backend trusts a few headers as facts the edge asserts
// (X-Telpro-*, and X-Call-ID, which it takes as a verified X-Call for WebRTC calls): a copy sent
// by anyone outside never passes, initial or in-dialog, request or reply. Towards carriers the
// backend's own product details (Server, User-Agent) are not passed on either, and a trunk's
// strip_headers (e.g. P-Asserted-Identity from a carrier not trusted to assert identity) are
// removed from its requests for the whole call.

// textops remove_hf_re matches header names, case-insensitively
var PLATFORM_NAMES = "^X-Telpro-";
var XCALL_HEADER = "X-Call-ID";
var STRIP_VAR = "strip_headers";

var backendHost = null;

// The backend's address from telpro.backend_uri, to tell its replies from the carriers'.
function backendAddress() {
	if (backendHost === null) {
		var uri = String(KSR.pv.get("$sel(cfg_get.telpro.backend_uri)"));
		var m = /^sips?:(?:[^@]*@)?(\[[^\]]+\]|[^:;>]+)/i.exec(uri);
		backendHost = m === null ? "" : m[1].replace(/^\[|\]$/g, "").toLowerCase();
	}
	return backendHost;
}

function fromBackend() {
	return String(KSR.pv.get("$si")).toLowerCase() === backendAddress();
}

// Every copy of the platform's headers, whoever sent them.
function removePlatformHeaders() {
	KSR.textops.remove_hf_re(PLATFORM_NAMES);
	KSR.hdr.remove(XCALL_HEADER);
}

function removeProductDetails() {
	KSR.hdr.remove("Server");
	KSR.hdr.remove("User-Agent");
}

// A trunk's own list; textops remove_hf also removes compact forms of known headers.
function removeListed(names) {
	for (var i = 0; i < names.length; i++) {
		KSR.textops.remove_hf(names[i]);
	}
}

// A new request from a trunk, before the edge adds its own headers (the verified X-Call-ID is
// js/xcall.js's business).
function initial(trunk) {
	KSR.textops.remove_hf_re(PLATFORM_NAMES);
	removeListed(trunk.stripHeaders);
}

// Once the call's dialog exists: the trunk's list goes with the call so its in-dialog requests
// lose the same headers.
function rememberForDialog(trunk) {
	if (trunk.stripHeaders.length > 0) {
		KSR.dialog.var_sets(STRIP_VAR, trunk.stripHeaders.join(","));
	}
}

// In-dialog requests: downstream ones come from the carrier (its list applies), upstream ones
// from the backend (its product details stay here).
function inDialog() {
	removePlatformHeaders();
	if (KSR.rr.is_direction("upstream") > 0) {
		removeProductDetails();
		return;
	}
	var listed = KSR.dialog.var_get(STRIP_VAR);
	if (listed !== null && listed !== undefined && String(listed) !== "") {
		removeListed(String(listed).split(","));
	}
}

// Every reply the edge relays (core reply route): a carrier's reply to the backend and the
// backend's reply to a carrier lose the platform's headers; the backend's also its product details.
function reply() {
	removePlatformHeaders();
	if (fromBackend()) {
		removeProductDetails();
	}
}

module.exports = {
	initial: initial,
	rememberForDialog: rememberForDialog,
	inDialog: inDialog,
	reply: reply
};
