// The proxy's heartbeat for the admin service: which generation is in force here and which
// trunks were refused. Written by the sync timer; the key expires if the proxy dies.

var redis = require("./redis.js");
var loader = require("./loader.js");

var TTL_SECONDS = 15;

var node = null;

function nodeName() {
	if (node === null) {
		node = String(KSR.pv.get("$sel(cfg_get.telpro.node_name)"));
	}
	return node;
}

function beat() {
	var s = loader.state;
	var body = JSON.stringify({
		node: nodeName(),
		generation: s.generation,
		loaded_at: s.loadedAt,
		trunks: s.trunks,
		refused: s.refused,
		seen_at: loader.nowIso()
	});
	if (redis.setWithTtl(redis.keys.heartbeat(nodeName()), body, TTL_SECONDS) === null) {
		KSR.warn("telpro: heartbeat not written (Redis unavailable)\n");
	}
}

module.exports = {
	beat: beat,
	TTL_SECONDS: TTL_SECONDS
};
