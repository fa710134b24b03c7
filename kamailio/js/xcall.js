// X-Call: an INVITE on a trunk with requires_x_call must carry an X-Call-ID the admin
// service pre-created; it is consumed with DEL, so each id admits exactly one call.

var redis = require("./redis.js");
var reply = require("./reply.js");
var reasons = require("./reasons.js");

var HEADER = "X-Call-ID";
var ID_FORMAT = /^[0-9a-f]{32}$/;

// Returns the consumed id (for the call record) or undefined when the trunk needs none.
function consume(trunk) {
	if (!trunk.requiresXCall || !KSR.is_INVITE()) {
		return undefined;
	}
	var id = KSR.hdr.get(HEADER);
	if (id === null || id === undefined || String(id).trim() === "") {
		reply.refuse(reasons.XCALL_MISSING, 403, "X-Call-ID required");
	}
	id = String(id).trim();
	if (!ID_FORMAT.test(id)) {
		reply.refuse(reasons.XCALL_UNKNOWN, 403, "X-Call-ID unknown or already used");
	}
	var removed = redis.del(redis.keys.xcall(id));
	if (removed === null) {
		reply.unavailable(reasons.XCALL_UNAVAILABLE, "X-Call-ID check unavailable", 5);
	}
	if (removed !== 1) {
		reply.refuse(reasons.XCALL_UNKNOWN, 403, "X-Call-ID unknown or already used");
	}
	return id;
}

module.exports = {
	consume: consume
};
