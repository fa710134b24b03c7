package com.telpro.control.sync;

import com.telpro.control.secret.PlatformSecretDigest;
import com.telpro.control.trunk.TrunkTableDigest;
import org.springframework.stereotype.Component;

/**
 * A digest of everything the generation document is built from: every trunk row and every
 * platform secret row (trunks name CA certificates by secret), by id and row version
 * ({@code xmin}, see {@link TrunkTableDigest}). Equal digests, equal documents, so the
 * drift view reuses the document of the last build instead of building it again.
 */
@Component
class SyncInputsDigest {

	private final TrunkTableDigest trunks;

	private final PlatformSecretDigest secrets;

	SyncInputsDigest(TrunkTableDigest trunks, PlatformSecretDigest secrets) {
		this.trunks = trunks;
		this.secrets = secrets;
	}

	/**
	 * Read it BEFORE the rows it is to describe: a change in between then only costs a
	 * rebuild.
	 */
	String current() {
		return trunks.current() + "/" + secrets();
	}

	/** The platform secrets' part alone. */
	String secrets() {
		return secrets.current();
	}

}
