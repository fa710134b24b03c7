// TLS rules of a trunk. They run after identification and before authentication, as the
// spec orders them.
//
// One TLS listener serves every trunk, and Kamailio picks TLS settings by local socket/SNI, not
// by peer: tls.cfg verifies a presented client certificate against the bundle of ALL trunks'
// CAs (verify_client = optional). Per trunk this module then requires:
//   require_tls                          TLS transport                     else 403 "TLS Required"
//   require_client_cert / verify_peer /  a certificate, verified by the    else 403 "Client
//     peer name                          listener                            Certificate Required"
//   verify_peer / require_client_cert    the verified chain passes through else 403 "Certificate
//                                        the trunk's own CA: SHA-256 of its   Not From Trunk CA"
//                                        DER = tls_ca_fingerprint (a CA of
//                                        another trunk does not do)
//   peer name enabled                    certificate CN = remote subject   else 403 "Peer Name
//                                        name (case-insensitive)              Mismatch"
//
// The chain comes from Kamailio 5.6's select @tls.peer.verified_cert_chain[i] (OpenSSL's
// SSL_get0_verified_chain, PEM per element; 0 is the client's certificate, the last is the
// trust anchor). Each distinct certificate is decoded and hashed once per worker and cached, so a
// request costs a few KEMI calls and table lookups. The walk stops at the self-issued anchor and
// never asks beyond the chain: Kamailio 5.6 leaks a connection reference for an index past the end.

var reply = require("./reply.js");
var reasons = require("./reasons.js");

// at most this many certificates above the client's (tls.cfg verify_depth + the anchor)
var MAX_CHAIN_ABOVE_LEAF = 5;
// decoded certificates kept per worker; the table is emptied when full
var MAX_CACHED_CERTS = 256;

function check(trunk) {
	var needsCertificate = trunk.verifyPeer || trunk.requireClientCert || trunk.peerName !== null;
	var needsTrunkCa = trunk.verifyPeer || trunk.requireClientCert;
	if (!KSR.is_TLS()) {
		if (trunk.requireTls || needsCertificate) {
			reply.refuse(reasons.TLS_REQUIRED, 403, "TLS Required");
		}
		return;
	}
	if (!needsCertificate) {
		return;
	}
	// "1": a certificate was presented and verified. Read it before any $tls_peer_* field: those
	// log an error per request on a connection without a client certificate.
	if (String(KSR.pv.get("$tls_peer_verified")) !== "1") {
		reply.refuse(reasons.CLIENT_CERT_MISSING, 403, "Client Certificate Required");
	}
	if (needsTrunkCa && !chainHasCa(trunk.caFingerprint)) {
		reply.refuse(reasons.CERT_NOT_FROM_TRUNK_CA, 403, "Certificate Not From Trunk CA");
	}
	if (trunk.peerName !== null) {
		var cn = KSR.pv.get("$tls_peer_subject_cn");
		if (cn === null || trunk.peerName === "" || String(cn).toLowerCase() !== trunk.peerName.toLowerCase()) {
			reply.refuse(reasons.PEER_NAME_MISMATCH, 403, "Peer Name Mismatch");
		}
	}
}

// True when the verified chain of this connection passes through the CA with this fingerprint.
function chainHasCa(fingerprint) {
	if (fingerprint === null) {
		return false;
	}
	var leaf = certificate(0);
	if (leaf === null) {
		return false;
	}
	if (leaf.selfIssued) {
		// trusted as itself: the chain is this one certificate
		return leaf.sha256 === fingerprint;
	}
	for (var i = 1; i <= MAX_CHAIN_ABOVE_LEAF; i++) {
		var c = certificate(i);
		if (c === null) {
			return false;
		}
		if (c.sha256 === fingerprint) {
			return true;
		}
		if (c.selfIssued) {
			return false;
		}
	}
	return false;
}

var certs = {};
var certCount = 0;

// Element i of the verified chain as {sha256, selfIssued}, or null when Kamailio has no verified
// chain (e.g. a resumed session: fail closed) or the PEM does not decode.
function certificate(i) {
	var pem = KSR.pv.get("$sel(tls.peer.verified_cert_chain[" + i + "])");
	if (pem === null || pem === undefined) {
		return null;
	}
	pem = String(pem);
	var known = certs[pem];
	if (known !== undefined) {
		return known;
	}
	var info = null;
	try {
		info = describe(pemToDer(pem));
	} catch (e) {
		KSR.err("tls: undecodable certificate in the verified chain: " + e + "\n");
	}
	if (certCount >= MAX_CACHED_CERTS) {
		certs = {};
		certCount = 0;
	}
	certs[pem] = info;
	certCount++;
	return info;
}

// ---------------------------------------------------------------- decoding (once per certificate)

var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function pemToDer(pem) {
	var begin = pem.indexOf("-----BEGIN CERTIFICATE-----");
	var end = pem.indexOf("-----END CERTIFICATE-----");
	if (begin < 0 || end < begin) {
		throw "not a PEM certificate";
	}
	var text = pem.substring(begin + 27, end).replace(/[^A-Za-z0-9+\/]/g, "");
	var out = [];
	var bits = 0;
	var value = 0;
	for (var i = 0; i < text.length; i++) {
		value = (value << 6) | B64.indexOf(text.charAt(i));
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out.push((value >> bits) & 0xff);
		}
	}
	return out;
}

// DER element at offset: {tag, start (of content), end}
function element(der, offset) {
	var tag = der[offset];
	var len = der[offset + 1];
	var start = offset + 2;
	if (len & 0x80) {
		var n = len & 0x7f;
		if (n < 1 || n > 3) {
			throw "unsupported DER length";
		}
		len = 0;
		for (var i = 0; i < n; i++) {
			len = len * 256 + der[start + i];
		}
		start += n;
	}
	if (tag === undefined || start + len > der.length) {
		throw "truncated DER";
	}
	return { tag: tag, start: start, end: start + len, offset: offset };
}

function sameBytes(der, a, b) {
	if (a.end - a.offset !== b.end - b.offset) {
		return false;
	}
	for (var i = 0; i < a.end - a.offset; i++) {
		if (der[a.offset + i] !== der[b.offset + i]) {
			return false;
		}
	}
	return true;
}

// Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber,
// signature, issuer, validity, subject, ... }, ... }. Self-issued: issuer and subject are the
// same bytes (RFC 5280 6.1).
function describe(der) {
	var cert = element(der, 0);
	var tbs = element(der, cert.start);
	var e = element(der, tbs.start);
	if (e.tag === 0xa0) {
		e = element(der, e.end);
	}
	var signature = element(der, e.end);
	var issuer = element(der, signature.end);
	var validity = element(der, issuer.end);
	var subject = element(der, validity.end);
	return { sha256: sha256Hex(der.slice(0, cert.end)), selfIssued: sameBytes(der, issuer, subject) };
}

var K = [
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
];

function rotr(x, n) {
	return (x >>> n) | (x << (32 - n));
}

// SHA-256 (FIPS 180-4) of a byte array, lowercase hex.
function sha256Hex(bytes) {
	var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
	var msg = bytes.slice(0);
	var bitLength = bytes.length * 8;
	msg.push(0x80);
	while (msg.length % 64 !== 56) {
		msg.push(0);
	}
	var high = Math.floor(bitLength / 0x100000000);
	msg.push((high >>> 24) & 0xff, (high >>> 16) & 0xff, (high >>> 8) & 0xff, high & 0xff);
	msg.push((bitLength >>> 24) & 0xff, (bitLength >>> 16) & 0xff, (bitLength >>> 8) & 0xff, bitLength & 0xff);
	var w = new Array(64);
	for (var block = 0; block < msg.length; block += 64) {
		for (var t = 0; t < 16; t++) {
			var j = block + t * 4;
			w[t] = ((msg[j] << 24) | (msg[j + 1] << 16) | (msg[j + 2] << 8) | msg[j + 3]) | 0;
		}
		for (t = 16; t < 64; t++) {
			var s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
			var s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
			w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
		}
		var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
		for (t = 0; t < 64; t++) {
			var t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0;
			var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
			k = g;
			g = f;
			f = e;
			e = (d + t1) | 0;
			d = c;
			c = b;
			b = a;
			a = (t1 + t2) | 0;
		}
		h[0] = (h[0] + a) | 0;
		h[1] = (h[1] + b) | 0;
		h[2] = (h[2] + c) | 0;
		h[3] = (h[3] + d) | 0;
		h[4] = (h[4] + e) | 0;
		h[5] = (h[5] + f) | 0;
		h[6] = (h[6] + g) | 0;
		h[7] = (h[7] + k) | 0;
	}
	var hex = "";
	for (var i = 0; i < 8; i++) {
		hex += ("0000000" + (h[i] >>> 0).toString(16)).slice(-8);
	}
	return hex;
}

module.exports = {
	check: check
};
