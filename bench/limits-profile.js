// The dialog-profile admission as it was before issue 15 (per edge, check then count later):
// the baseline bench/limits-bench.sh compares the Redis admission (js/limits.js) against.
// max_concurrent_calls per trunk, counted by the dialog module in one profile keyed by trunk
// name. A dialog leaves the profile on BYE, CANCEL, a failed INVITE or the dialog timeout.

var reply = require("./reply.js");

var PROFILE = "trunk_calls";

function activeCalls(trunk) {
	if (KSR.dialog.get_profile_size(PROFILE, trunk.name, "$var(trunk_calls)") < 0) {
		return -1;
	}
	return KSR.pv.geti("$var(trunk_calls)");
}

// Refuses a new call when the trunk is at its cap (0 = unlimited).
function admit(trunk) {
	if (trunk.maxCalls === 0 || !KSR.is_INVITE()) {
		return;
	}
	var active = activeCalls(trunk);
	if (active < 0 || active >= trunk.maxCalls) {
		reply.send(486, "Busy Here");
	}
}

// Counts the call from now on: called for every INVITE that is relayed.
function track(trunk) {
	KSR.dialog.dlg_manage();
	KSR.dialog.set_dlg_profile(PROFILE, trunk.name);
}

module.exports = {
	admit: admit,
	track: track
};

// bench/limits-bench.sh only: the dialog-profile way (before issue 15) with the hooks the
// current js/main.js calls, as no-ops, so both ways run the same script around them.
function noop() {
}

module.exports.refresh = noop;
module.exports.countEdges = noop;
module.exports.releaseEnded = noop;
module.exports.afterRequest = noop;
module.exports.onDialogEvent = noop;
