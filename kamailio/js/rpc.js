// JSON-RPC for the admin service (WITH_JSONRPC_HTTP): xhttp hands every HTTP request to
// ksr_xhttp_event; only POST /RPC on the listener named "jsonrpc", from a loopback address, with one
// read-only method of the list below is dispatched to jsonrpcs. Anything that changes the proxy
// (core.kill, cfg.set, ul.rm, dlg.end_dlg, ...) stays with kamcmd on the ctl socket.

var RPC_SOCKET = "jsonrpc";

var READ_ONLY_METHODS = [
	"core.uptime",
	"core.version",
	"stats.get_statistics",
	"stats.fetch",
	"ul.dump",
	"ul.lookup",
	"dlg.list",
	"dlg.profile_list",
	"dlg.profile_get_size",
	"htable.dump"
];

function isLoopback(ip) {
	return ip.indexOf("127.") === 0 || ip === "::1" || ip === "[::1]";
}

function refuse(code, reason) {
	KSR.xhttp.xhttp_reply(code, reason, "text/plain", reason + "\n");
}

// The method of a single JSON-RPC request whose parameters are allowed, or null (batches and
// anything unparsable).
function method() {
	var body = KSR.pv.get("$rb");
	if (body === null || body === undefined) {
		return null;
	}
	try {
		var request = JSON.parse(String(body));
		return request !== null && typeof request === "object" && typeof request.method === "string"
			&& paramsAllowed(request) ? request.method : null;
	} catch (e) {
		return null;
	}
}

// Methods that read only what their first parameter names: htable.dump of the unmatched-sources
// table, never of the trunk set (it holds HA1s).
var ALLOWED_FIRST_PARAM = {
	"htable.dump": ["unmatched"]
};

function paramsAllowed(request) {
	var allowed = ALLOWED_FIRST_PARAM[request.method];
	if (allowed === undefined) {
		return true;
	}
	return Array.isArray(request.params) && request.params.length === 1
		&& allowed.indexOf(request.params[0]) >= 0;
}

function http() {
	var socket = KSR.pv.get("$Rn");
	if (socket === null || String(socket) !== RPC_SOCKET || !isLoopback(String(KSR.pv.get("$si")))) {
		refuse(403, "Forbidden");
		return;
	}
	var path = String(KSR.pv.get("$hu"));
	if (path !== "/RPC" && path.indexOf("/RPC?") !== 0) {
		refuse(404, "Not Found");
		return;
	}
	if (READ_ONLY_METHODS.indexOf(method()) < 0) {
		refuse(403, "Method not allowed here");
		return;
	}
	KSR.jsonrpcs.dispatch();
}

module.exports = {
	http: http
};
