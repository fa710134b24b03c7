package com.telpro.control.admin;

import java.util.ArrayList;
import java.util.List;

import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.TrunkResponse;
import com.telpro.control.trunk.TrunkSpec;

/** One line of the trunk table: the trunk and the summaries its columns show. */
record TrunkRow(long id, TrunkSpec trunk, List<Ident> identification, String tlsMode, Load load) {

	/** Live figures from the edges, platform-wide; null when Redis could not be read. */
	record Load(long callsNow, long callsPerSecondNow) {
	}

	/** One identification method and what it matches. */
	record Ident(String method, String detail) {
	}

	static TrunkRow of(TrunkResponse response) {
		return of(response, null);
	}

	static TrunkRow of(TrunkResponse response, long[] totals) {
		TrunkSpec t = response.spec();
		List<Ident> identification = new ArrayList<>();
		for (IdentifyMethod method : t.identifyBy()) {
			identification.add(new Ident(method.wire(), switch (method) {
				case SOURCE_IP -> String.join(", ", t.allowedIps());
				case FROM_DOMAIN -> t.fromDomainPattern();
				case USER_AGENT -> t.userAgentPattern();
			}));
		}
		return new TrunkRow(response.id(), t, identification, tlsMode(t),
				totals == null ? null : new Load(totals[0], totals[1]));
	}

	/** The spec's TLS modes, as message keys {@code tls.mode.*}. */
	private static String tlsMode(TrunkSpec t) {
		if (!t.requireTls()) {
			return "none";
		}
		boolean peerName = t.checksPeerName();
		if (t.verifyPeer() && t.requireClientCert() && peerName) {
			return "mtls-peer-name";
		}
		if (peerName) {
			return "peer-name";
		}
		if (t.verifyPeer() || t.requireClientCert()) {
			return "verify";
		}
		return "required";
	}

}
