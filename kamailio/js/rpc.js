// JSON-RPC for the admin service (WITH_JSONRPC_HTTP): xhttp hands every HTTP request to
// ksr_xhttp_event; only POST /RPC on the listener named "jsonrpc" from a loopback address is
// dispatched to jsonrpcs (stats.get_statistics, ul.dump, dlg.profile_list, ...).

var RPC_SOCKET = "jsonrpc";

function isLoopback(ip) {
	return ip.indexOf("127.") === 0 || ip === "::1" || ip === "[::1]";
}

function http() {
	var socket = KSR.pv.get("$Rn");
	if (socket === null || String(socket) !== RPC_SOCKET || !isLoopback(String(KSR.pv.get("$si")))) {
		KSR.xhttp.xhttp_reply(403, "Forbidden", "text/plain", "Forbidden\n");
		return;
	}
	var path = String(KSR.pv.get("$hu"));
	if (path !== "/RPC" && path.indexOf("/RPC?") !== 0) {
		KSR.xhttp.xhttp_reply(404, "Not Found", "text/plain", "Not Found\n");
		return;
	}
	KSR.jsonrpcs.dispatch();
}

module.exports = {
	http: http
};
