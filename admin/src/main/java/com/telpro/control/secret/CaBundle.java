package com.telpro.control.secret;

import java.util.List;

import com.telpro.contract.Certificates;

/**
 * The CA certificates the edge must trust, concatenated as PEM (public certificates only,
 * in secret id order so the same set always gives the same bytes), and the SHA-256 of
 * that text.
 */
public record CaBundle(String pem, String sha256, List<Long> secretIds) {

	static CaBundle of(String pem, List<Long> secretIds) {
		return new CaBundle(pem, Certificates.sha256Hex(pem), List.copyOf(secretIds));
	}

	public int size() {
		return secretIds.size();
	}

}
