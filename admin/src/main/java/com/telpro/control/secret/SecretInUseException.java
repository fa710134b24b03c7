package com.telpro.control.secret;

import java.util.List;

import com.telpro.control.config.ConflictException;

/**
 * A delete refused because trunks still reference the secret: answered 409 naming them
 * (also under {@code trunks}).
 */
public class SecretInUseException extends ConflictException {

	private final List<String> trunkNames;

	public SecretInUseException(long secretId, List<String> trunkNames) {
		super(null, "The secret is referenced by trunk(s) " + String.join(", ", trunkNames)
				+ "; point them at another CA first.");
		this.trunkNames = List.copyOf(trunkNames);
		property("trunks", this.trunkNames);
	}

	public List<String> trunkNames() {
		return trunkNames;
	}

}
