// Platform-wide call admission in Redis (contract: kamailio/REDIS-CONTRACT.md, "Call limits").
// Check and count are one step: a Lua script per step runs atomically in Redis, so parallel
// workers and every edge see one count. Times come from Redis's own clock (TIME), so edges
// with skewed clocks still share one window. Every function returns null when Redis cannot
// answer: the caller then applies the Redis-unreachable policy (js/limits.js), never "admitted".

var SERVER = "telpro";
var PREFIX = "telpro:v1:limits:";
var RESULT = "rlim";

// hiredis reply types as ndb_redis reports them in $redis(res=>type)
var REPLY_STRING = 1;
var REPLY_INTEGER = 3;

// the members of one refresh command; keeps a command small when an edge holds many calls
var REFRESH_BATCH = 200;

var NOW_MS = "local t = redis.call('TIME') "
	+ "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) ";

var SCRIPTS = {
	// KEYS: calls zset, cps zset; ARGV: member, max calls (0 = none), ttl ms, max cps (0 = none)
	// 1 = admitted (or already admitted: a retransmission), 0 = at the call cap, -1 = at the CPS cap
	admit: NOW_MS
		+ "local member, cap, ttl, cps = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]) "
		+ "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) "
		+ "if redis.call('ZSCORE', KEYS[1], member) then return 1 end "
		+ "if cap > 0 and redis.call('ZCARD', KEYS[1]) >= cap then return 0 end "
		+ "if cps > 0 then "
		+ "  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - 1000)) "
		+ "  if redis.call('ZCARD', KEYS[2]) >= cps then return -1 end "
		+ "  redis.call('ZADD', KEYS[2], now, member) "
		+ "  redis.call('PEXPIRE', KEYS[2], 2000) "
		+ "end "
		+ "redis.call('ZADD', KEYS[1], now + ttl, member) "
		+ "if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end "
		+ "return 1",
	// KEYS: calls zset; ARGV: ttl ms, members... : pushes the expiry of live calls forward (and
	// puts back calls Redis lost, e.g. after a restart or failover)
	refresh: NOW_MS
		+ "local ttl = tonumber(ARGV[1]) "
		+ "for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + ttl, ARGV[i]) end "
		+ "redis.call('PEXPIRE', KEYS[1], ttl) "
		+ "return #ARGV - 1",
	// KEYS: edges zset; ARGV: node, ttl ms: this edge is alive; answers how many edges are
	edges: NOW_MS
		+ "redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) "
		+ "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) "
		+ "return redis.call('ZCARD', KEYS[1])"
};

// per process: script name -> SHA1 as SCRIPT LOAD answered it
var shas = {};

var keys = {
	calls: function (trunkId) { return PREFIX + trunkId + ":calls"; },
	cps: function (trunkId) { return PREFIX + trunkId + ":cps"; },
	edges: PREFIX + "edges"
};

// Runs one command; read(type) sees the reply while it is held. null on a connection error.
function run(rc, read) {
	if (rc < 0) {
		return null;
	}
	try {
		return read(KSR.pv.geti("$redis(" + RESULT + "=>type)"));
	} finally {
		KSR.ndb_redis.redis_free(RESULT);
	}
}

function value() {
	return String(KSR.pv.get("$redis(" + RESULT + "=>value)"));
}

function load(name) {
	var sha = run(KSR.ndb_redis.redis_cmd_p1(SERVER, "SCRIPT LOAD %s", SCRIPTS[name], RESULT), function (type) {
		return type === REPLY_STRING ? value() : null;
	});
	if (sha !== null) {
		shas[name] = sha;
	}
	return sha;
}

// EVALSHA with arguments that are safe tokens (decimal numbers, key names, members made of
// [A-Za-z0-9._/-]): they go into the command text, which hiredis splits on spaces.
// ndb_redis reports an error reply (NOSCRIPT after a Redis restart or failover empties the
// script cache) like a lost connection, so a failed EVALSHA is tried once more after SCRIPT
// LOAD; while Redis is down that load fails at once and the caller gets null.
function evalInteger(name, args) {
	for (var attempt = 0; attempt < 2; attempt++) {
		if (shas[name] === undefined && load(name) === null) {
			return null;
		}
		var r = run(KSR.ndb_redis.redis_cmd(SERVER, "EVALSHA " + shas[name] + " " + args, RESULT), function (type) {
			return type === REPLY_INTEGER ? KSR.pv.geti("$redis(" + RESULT + "=>value)") : null;
		});
		if (r !== null) {
			return r;
		}
		delete shas[name];
	}
	return null;
}

// 1 admitted, 0 at max calls, -1 at max calls per second, null Redis unreachable
function admit(trunkId, member, maxCalls, maxCps, ttlMs) {
	return evalInteger("admit", "2 " + keys.calls(trunkId) + " " + keys.cps(trunkId) + " " + member + " "
		+ maxCalls + " " + ttlMs + " " + maxCps);
}

// The call left (BYE, CANCEL, failure, dialog timeout). null when Redis cannot answer: the
// entry then expires within the ttl, as a dead edge's calls do.
function release(trunkId, member) {
	return run(KSR.ndb_redis.redis_cmd(SERVER, "ZREM " + keys.calls(trunkId) + " " + member, RESULT), function (type) {
		return type === REPLY_INTEGER ? KSR.pv.geti("$redis(" + RESULT + "=>value)") : null;
	});
}

// Pushes the expiry of this edge's live calls of one trunk forward; false when Redis failed.
function refresh(trunkId, members, ttlMs) {
	for (var i = 0; i < members.length; i += REFRESH_BATCH) {
		var batch = members.slice(i, i + REFRESH_BATCH);
		if (evalInteger("refresh", "1 " + keys.calls(trunkId) + " " + ttlMs + " " + batch.join(" ")) === null) {
			return false;
		}
	}
	return true;
}

// Marks this edge alive for ttlMs; the number of live edges, or null.
function edgeAlive(node, ttlMs) {
	return evalInteger("edges", "1 " + keys.edges + " " + node + " " + ttlMs);
}

module.exports = {
	keys: keys,
	admit: admit,
	release: release,
	refresh: refresh,
	edgeAlive: edgeAlive
};
