package com.telpro.control.secret;

import java.util.List;

/** A delete refused because trunks still reference the secret: answered 409 naming them. */
public class SecretInUseException extends RuntimeException {

	private final List<String> trunkNames;

	public SecretInUseException(long secretId, List<String> trunkNames) {
		super("Platform secret " + secretId + " is referenced by trunk(s) " + String.join(", ", trunkNames));
		this.trunkNames = List.copyOf(trunkNames);
	}

	public List<String> trunkNames() {
		return trunkNames;
	}

}
