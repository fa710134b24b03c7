// The ONE place the proxy talks to Redis: key names of contract layout v1 and the commands
// the proxy needs. Every function returns null on a Redis error (connection refused, timeout,
// error reply) so a caller can never mistake an outage for "not found"; callers fail closed.

var metrics = require("./metrics.js");

var SERVER = "telpro";
var PREFIX = "telpro:v1:";

// hiredis reply types as ndb_redis reports them in $redis(res=>type)
var REPLY_STRING = 1;
var REPLY_INTEGER = 3;
var REPLY_NIL = 4;
var REPLY_STATUS = 5;

var keys = {
	generation: PREFIX + "generation",
	document: function (generation) { return PREFIX + "gen:" + generation; },
	heartbeat: function (node) { return PREFIX + "proxy:" + node; },
	xcall: function (id) { return PREFIX + "xcall:" + id; },
	calls: PREFIX + "calls"
};

// Runs one command and hands its reply to read(type) while the reply is still held.
// A fixed small set of result names keeps ndb_redis's cached PV names bounded.
function run(result, rc, read) {
	if (rc < 0) {
		metrics.redisError(result.substring(1));
		return null;
	}
	try {
		var value = read(KSR.pv.geti("$redis(" + result + "=>type)"), result);
		if (value === null) {
			metrics.redisError(result.substring(1));
		}
		return value;
	} finally {
		KSR.ndb_redis.redis_free(result);
	}
}

// GET: {value: string} when present, {value: null} when the key does not exist, null on error.
function get(key) {
	return run("rget", KSR.ndb_redis.redis_cmd_p1(SERVER, "GET %s", key, "rget"), function (type, res) {
		if (type === REPLY_NIL) {
			return { value: null };
		}
		if (type !== REPLY_STRING) {
			return null;
		}
		return { value: String(KSR.pv.get("$redis(" + res + "=>value)")) };
	});
}

// DEL: the number of keys removed (0 or 1), null on error.
function del(key) {
	return run("rdel", KSR.ndb_redis.redis_cmd_p1(SERVER, "DEL %s", key, "rdel"), function (type, res) {
		if (type !== REPLY_INTEGER) {
			return null;
		}
		return KSR.pv.geti("$redis(" + res + "=>value)");
	});
}

// SET key value EX ttl: true when stored, null on error.
function setWithTtl(key, value, ttlSeconds) {
	var format = "SET %s %s EX " + Math.floor(ttlSeconds);
	return run("rset", KSR.ndb_redis.redis_cmd_p2(SERVER, format, key, value, "rset"), function (type) {
		return type === REPLY_STATUS ? true : null;
	});
}

// XADD key MAXLEN ~ maxLen * r value: the entry id when appended, null on error.
function xadd(key, maxLen, value) {
	var format = "XADD %s MAXLEN ~ " + Math.floor(maxLen) + " * r %s";
	return run("rxadd", KSR.ndb_redis.redis_cmd_p2(SERVER, format, key, value, "rxadd"), function (type, res) {
		return type === REPLY_STRING ? String(KSR.pv.get("$redis(" + res + "=>value)")) : null;
	});
}

module.exports = {
	keys: keys,
	xadd: xadd,
	get: get,
	del: del,
	setWithTtl: setWithTtl
};
