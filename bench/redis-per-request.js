// Bench only: the design the project avoids - one Redis round trip per request (here a GET of
// the generation pointer, the cheapest lookup a per-request design could make), then a reply.
// Run with kamailio/kamailio.cfg and -A 'JS_MAIN="<this file>"'.

function ksr_request_route() {
	var rc = KSR.ndb_redis.redis_cmd_p1("telpro", "GET %s", "telpro:v1:generation", "rb");
	if (rc < 0) {
		KSR.sl.sl_send_reply(503, "Redis unavailable");
		KSR.x.exit();
	}
	KSR.ndb_redis.redis_free("rb");
	KSR.sl.sl_send_reply(200, "OK");
}

function ksr_sync_timer() {
}
