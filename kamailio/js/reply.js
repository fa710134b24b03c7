// Final answers of the edge. sl's send_reply answers statefully when a transaction exists
// (so tm absorbs retransmissions and acc sees the failure) and statelessly otherwise.

// Sends the final reply and ends the script for this request.
function send(code, reason) {
	KSR.sl.send_reply(code, reason);
	KSR.x.exit();
}

// 503 for "try again shortly": Redis unreachable or nothing loaded yet.
function unavailable(reason, retryAfterSeconds) {
	KSR.hdr.append_to_reply("Retry-After: " + retryAfterSeconds + "\r\n");
	send(503, reason);
}

module.exports = {
	send: send,
	unavailable: unavailable
};
