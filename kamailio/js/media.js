// Media through RTPEngine (kamailio.cfg WITH_RTPENGINE), from the trunk's media settings:
//  srtp_mode      disabled: the carrier offers plain RTP (RTP/SAVP is refused with 488);
//                 prefer: plain or SRTP; require: RTP/SAVP with SDES or DTLS keys, else 488.
//                 SRTP ends at RTPEngine: the backend always gets RTP/AVP, and the answer to the
//                 carrier keeps the transport the carrier offered.
//  symmetric_rtp  media goes where the carrier's media comes from (its SIP source address until
//                 the first packet), never to the SDP address; otherwise the SDP address is
//                 trusted and RTPEngine learns nothing (asymmetric).
//  is_internal    both legs on RTPEngine's "priv" interface; carriers are on "pub" (rtpengine.conf).
//  codecs         the SDP to the backend lists these, in this order, plus telephone-event; an
//                 offer with none of them is refused with 488.
// Offer on the INVITE (last step before relay), answer on 1xx/2xx replies with SDP, delete on
// BYE, CANCEL and failed INVITEs; an INVITE without SDP is offered in the reply and answered in
// the ACK; re-INVITEs are offered again. RTPEngine unreachable on the INVITE → 503. The flag
// strings are built once per trunk and generation: they are cached on the trunk record of the
// worker's index, which trunks.js rebuilds per generation.

var reply = require("./reply.js");
var reasons = require("./reasons.js");

var PUBLIC_INTERFACE = "pub";
var PRIVATE_INTERFACE = "priv";
var REPLY_ROUTE = "ksr_media_reply";
var FAILURE_ROUTE = "ksr_media_failure";
var ANSWER_FLAGS_AVP = "$avp(media_answer)";
var LATE_OFFER_AVP = "$avp(media_late_offer)";
// Record-Route parameter that tells in-dialog requests the call is anchored, and how the carrier
// talks: "srtp" or "rtp"
var ROUTE_PARAM = "media";
// and, for a late offer (INVITE without SDP), how the carrier's answer in the ACK is handled
var LATE_PARAM = "late";

// RFC 3551 static payload types, by the name RTPEngine and rtpmap lines use (lower case)
var STATIC_PAYLOADS = { 0: "pcmu", 3: "gsm", 4: "g723", 8: "pcma", 9: "g722", 18: "g729" };
var ALWAYS_KEPT = "telephone-event";

var enabled = null;

function isEnabled() {
	if (enabled === null) {
		enabled = KSR.pv.geti("$sel(cfg_get.telpro.media)") === 1;
	}
	return enabled;
}

// ---------------------------------------------------------------- per trunk, once per generation

function codecFlags(codecs) {
	if (codecs.length === 0) {
		return "";
	}
	var flags = " codec-strip=all";
	for (var i = 0; i < codecs.length; i++) {
		flags += " codec-offer=" + codecs[i];
	}
	return flags + " codec-offer=" + ALWAYS_KEPT;
}

function build(trunk) {
	var allowed = null;
	if (trunk.codecs.length > 0) {
		allowed = {};
		for (var i = 0; i < trunk.codecs.length; i++) {
			allowed[trunk.codecs[i].toLowerCase()] = true;
		}
	}
	var carrier = trunk.internal ? PRIVATE_INTERFACE : PUBLIC_INTERFACE;
	var replace = "replace-origin replace-session-connection";
	var learning = trunk.symmetricRtp ? " SIP-source-address" : " asymmetric";
	return {
		srtp: trunk.srtp,
		allowed: allowed,
		offer: replace + " ICE=remove RTP/AVP" + codecFlags(trunk.codecs)
			+ " direction=" + carrier + " direction=" + PRIVATE_INTERFACE + learning
			+ (trunk.srtp === "prefer" ? " OSRTP-accept" : ""),
		answer: replace,
		// late offer: the backend offers in its reply, the carrier answers in the ACK
		lateOffer: replace + " ICE=remove" + codecFlags(trunk.codecs)
			+ " direction=" + PRIVATE_INTERFACE + " direction=" + carrier
			+ (trunk.srtp === "require" ? " RTP/SAVP" : " RTP/AVP"),
		lateRoute: ";" + ROUTE_PARAM + "=" + (trunk.srtp === "require" ? "srtp" : "rtp")
			+ ";" + LATE_PARAM + "=" + (trunk.symmetricRtp ? "sym" : "asym")
	};
}

function settings(trunk) {
	if (trunk.media === undefined) {
		trunk.media = build(trunk);
	}
	return trunk.media;
}

// ---------------------------------------------------------------- the carrier's offer

// Transport and codecs of every active media section: [{audio, savp, keys, names: {pt: name}}].
function mediaSections(sdp) {
	var lines = sdp.split(/\r?\n/);
	var sessionKeys = false;
	var sections = [];
	var current = null;
	for (var i = 0; i < lines.length; i++) {
		var line = lines[i];
		if (line.indexOf("m=") === 0) {
			var parts = line.substring(2).split(" ");
			current = {
				active: parts[1] !== "0",
				audio: parts[0] === "audio",
				savp: /SAVP/.test(parts[2] || ""),
				rtp: /RTP/.test(parts[2] || ""),
				keys: false,
				payloads: parts.slice(3),
				names: {}
			};
			sections.push(current);
		} else if (line.indexOf("a=crypto:") === 0 || line.indexOf("a=fingerprint:") === 0) {
			if (current === null) {
				sessionKeys = true;
			} else {
				current.keys = true;
			}
		} else if (current !== null && line.indexOf("a=rtpmap:") === 0) {
			var m = /^a=rtpmap:(\d+) ([^\/\s]+)/.exec(line);
			if (m !== null) {
				current.names[m[1]] = m[2].toLowerCase();
			}
		}
	}
	for (var j = 0; j < sections.length; j++) {
		sections[j].keys = sections[j].keys || sessionKeys;
	}
	return sections;
}

function offersAllowedCodec(section, allowed) {
	for (var i = 0; i < section.payloads.length; i++) {
		var pt = section.payloads[i];
		var name = section.names[pt] !== undefined ? section.names[pt] : STATIC_PAYLOADS[pt];
		if (name !== undefined && allowed[name] === true) {
			return true;
		}
	}
	return false;
}

// Why the trunk cannot take this offer, or null. Also returns the carrier's transport.
function check(media, sdp) {
	var sections = mediaSections(sdp);
	var secure = false;
	var codecOk = media.allowed === null;
	for (var i = 0; i < sections.length; i++) {
		var s = sections[i];
		if (!s.active || !s.rtp) {
			continue;
		}
		if (s.savp && !s.keys) {
			return { refusal: "SRTP offered without keys", reason: reasons.SRTP_REQUIRED };
		}
		if (media.srtp === "require" && !s.savp) {
			return { refusal: "SRTP required", reason: reasons.SRTP_REQUIRED };
		}
		if (media.srtp === "disabled" && s.savp) {
			return { refusal: "SRTP not enabled for the trunk", reason: reasons.SRTP_NOT_ALLOWED };
		}
		secure = secure || s.savp;
		if (!codecOk && s.audio) {
			codecOk = offersAllowedCodec(s, media.allowed);
		}
	}
	if (!codecOk) {
		return { refusal: "no codec the trunk allows", reason: reasons.CODEC_NOT_ALLOWED };
	}
	return { refusal: null, carrier: secure ? "srtp" : "rtp" };
}

function notAcceptable(trunk, why) {
	KSR.info("telpro: media refused for trunk " + trunk.name + ": " + why.refusal + "\n");
	reply.refuse(why.reason, 488, "Not Acceptable Here");
}

function hasSdp() {
	return KSR.textops.has_body_type("application/sdp") > 0;
}

// ---------------------------------------------------------------- request side

// A new INVITE from a trunk, just before it is relayed: refuse what the trunk's media settings
// do not allow, put RTPEngine in the path and arm the answer and cleanup.
function offer(trunk) {
	if (!isEnabled() || !KSR.is_INVITE()) {
		return;
	}
	var media = settings(trunk);
	if (!hasSdp()) {
		// late offer: RTPEngine gets the backend's offer in the reply and the carrier's answer in the ACK
		KSR.pv.sets(LATE_OFFER_AVP, media.lateOffer);
		KSR.rr.add_rr_param(media.lateRoute);
		KSR.tm.t_on_reply(REPLY_ROUTE);
		KSR.tm.t_on_failure(FAILURE_ROUTE);
		return;
	}
	var checked = check(media, String(KSR.pv.get("$rb")));
	if (checked.refusal !== null) {
		notAcceptable(trunk, checked);
	}
	if (KSR.rtpengine.rtpengine_offer(media.offer) < 0) {
		KSR.err("telpro: RTPEngine offer failed for trunk " + trunk.name + "\n");
		reply.unavailable(reasons.MEDIA_UNAVAILABLE, "Media relay unavailable", 5);
	}
	KSR.pv.sets(ANSWER_FLAGS_AVP, media.answer);
	KSR.rr.add_rr_param(";" + ROUTE_PARAM + "=" + checked.carrier);
	KSR.tm.t_on_reply(REPLY_ROUTE);
	KSR.tm.t_on_failure(FAILURE_ROUTE);
}

// Inside an anchored call: a re-INVITE with SDP is offered again (towards the backend plain RTP,
// towards the carrier SRTP or not as at the start; RTPEngine keeps the interfaces it picked then),
// and the ACK of a late offer carries the carrier's answer.
function inDialog() {
	if (!isEnabled() || !hasSdp()) {
		return;
	}
	if (KSR.is_ACK()) {
		lateAnswer();
		return;
	}
	if (!KSR.is_INVITE()) {
		return;
	}
	var srtp = KSR.rr.check_route_param(ROUTE_PARAM + "=srtp") > 0;
	if (!srtp && KSR.rr.check_route_param(ROUTE_PARAM + "=rtp") < 0) {
		return;
	}
	var towardsCarrier = KSR.rr.is_direction("upstream") > 0;
	var flags = "replace-origin replace-session-connection "
		+ (towardsCarrier ? (srtp ? "SRTP" : "RTP") : "ICE=remove RTP/AVP");
	if (KSR.rtpengine.rtpengine_offer(flags) < 0) {
		KSR.err("telpro: RTPEngine re-offer failed\n");
		reply.unavailable(reasons.MEDIA_UNAVAILABLE, "Media relay unavailable", 5);
	}
	// a failed re-INVITE leaves the call as it was: no cleanup route here
	KSR.pv.sets(ANSWER_FLAGS_AVP, "replace-origin replace-session-connection");
	KSR.tm.t_on_reply(REPLY_ROUTE);
}

function lateAnswer() {
	var symmetric = KSR.rr.check_route_param(LATE_PARAM + "=sym") > 0;
	if (!symmetric && KSR.rr.check_route_param(LATE_PARAM + "=asym") < 0) {
		return;
	}
	var flags = "replace-origin replace-session-connection " + (symmetric ? "SIP-source-address" : "asymmetric");
	if (KSR.rtpengine.rtpengine_answer(flags) < 0) {
		KSR.err("telpro: RTPEngine answer to a late offer failed\n");
	}
}

// BYE or CANCEL: the call's RTPEngine session goes.
function end() {
	if (isEnabled()) {
		KSR.rtpengine.rtpengine_delete0();
	}
}

// ---------------------------------------------------------------- reply side (tm routes)

// Provisional and final answers with SDP go through RTPEngine (offers, for a late offer); failures
// are left to failed().
function answer() {
	var status = KSR.pv.geti("$rs");
	if (status >= 300 || status < 180 || !hasSdp()) {
		return;
	}
	var late = KSR.pv.get(LATE_OFFER_AVP);
	if (late !== null && late !== undefined) {
		if (KSR.rtpengine.rtpengine_offer(String(late)) < 0) {
			KSR.err("telpro: RTPEngine offer of a " + status + " reply failed\n");
		}
		return;
	}
	var flags = KSR.pv.get(ANSWER_FLAGS_AVP);
	if (KSR.rtpengine.rtpengine_answer(flags === null ? "" : String(flags)) < 0) {
		KSR.err("telpro: RTPEngine answer failed for a " + status + " reply\n");
	}
}

function failed() {
	KSR.rtpengine.rtpengine_delete0();
}

module.exports = {
	offer: offer,
	inDialog: inDialog,
	end: end,
	answer: answer,
	failed: failed
};
