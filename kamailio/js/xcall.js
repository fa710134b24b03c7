// X-Call: an INVITE on a trunk with requires_x_call must carry an X-Call-ID the admin service
// pre-created, for that trunk (or for no trunk in particular). The backend trusts X-Call-ID as
// verified, so only such a verified id ever reaches it: every other copy is removed.
// Checked (GET) before media, spent (DEL) only once nothing can refuse the call any more: a call
// refused on the way (e.g. 488 from media) leaves its X-Call usable. Two INVITEs with one id may
// both pass the check, but DEL answers 1 to exactly one of them; the other is refused.

var redis = require("./redis.js");
var reply = require("./reply.js");
var reasons = require("./reasons.js");

var HEADER = "X-Call-ID";
var ID_FORMAT = /^[0-9a-f]{32}$/;

function unknown(why, id) {
	KSR.info("telpro: X-Call-ID " + id + " refused: " + why + "\n");
	reply.refuse(reasons.XCALL_UNKNOWN, 403, "X-Call-ID unknown or already used");
}

function unavailable() {
	reply.unavailable(reasons.XCALL_UNAVAILABLE, "X-Call-ID check unavailable", 5);
}

// The trunk the X-Call was created for: a name, null for any X-Call trunk, undefined when the
// value is not the contract's JSON (refused).
function boundTrunk(value) {
	try {
		var doc = JSON.parse(value);
		if (doc === null || typeof doc !== "object") {
			return undefined;
		}
		if (doc.trunk === null || doc.trunk === undefined) {
			return null;
		}
		return typeof doc.trunk === "string" ? doc.trunk : undefined;
	} catch (e) {
		return undefined;
	}
}

// Returns the checked id (for the call record and spend()), or undefined when the trunk needs none.
// Either way no unverified X-Call-ID is left in the request.
function verify(trunk) {
	if (!trunk.requiresXCall || !KSR.is_INVITE()) {
		KSR.hdr.remove(HEADER);
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
	var found = redis.get(redis.keys.xcall(id));
	if (found === null) {
		unavailable();
	}
	if (found.value === null) {
		unknown("unknown or already used", id);
	}
	var bound = boundTrunk(found.value);
	if (bound === undefined) {
		unknown("value is not an X-Call document", id);
	}
	if (bound !== null && bound !== trunk.name) {
		unknown("created for another trunk", id);
	}
	// exactly the verified value goes on, whatever other copies the caller sent
	KSR.hdr.remove(HEADER);
	KSR.hdr.append(HEADER + ": " + id + "\r\n");
	return id;
}

// Spends a checked id just before the call is relayed. When it cannot (another INVITE spent it
// first, or Redis failed) the call does not go on: cleanup() undoes what was set up for it (the
// media session) and the request is answered here.
function spend(id, cleanup) {
	if (id === undefined) {
		return;
	}
	var removed = redis.del(redis.keys.xcall(id));
	if (removed === 1) {
		return;
	}
	cleanup();
	if (removed === null) {
		unavailable();
	}
	unknown("spent by another call meanwhile", id);
}

module.exports = {
	verify: verify,
	spend: spend
};
