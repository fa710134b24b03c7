// TLS rules of a trunk. They run after identification and before authentication, as the
// spec orders them.

var reply = require("./reply.js");

// require_tls: a trunk that must use TLS is refused on UDP/TCP.
function checkTransport(trunk) {
	if (trunk.requireTls && !KSR.is_TLS()) {
		reply.send(403, "TLS Required");
	}
}

// verify_peer / require_client_cert / peer name (CN) checks: filled in by the TLS issue.
// Boundary: called only for TLS connections of a trunk with any of these set; it must reject
// (403) on a failed check. Read $tls_peer_verified before any $tls_peer_* field: reading the
// subject of a connection without a client certificate logs an error per request.
function checkPeer(trunk) {
	return trunk;
}

function check(trunk) {
	checkTransport(trunk);
	if (KSR.is_TLS() && (trunk.verifyPeer || trunk.requireClientCert || trunk.peerName !== null)) {
		checkPeer(trunk);
	}
}

module.exports = {
	check: check
};
