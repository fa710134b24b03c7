package com.telpro.control.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** RFC 2617 HA1, the only form of a SIP password the proxy needs. */
public final class DigestHashes {

	private DigestHashes() {
	}

	public static String ha1(String user, String realm, String password) {
		try {
			MessageDigest md5 = MessageDigest.getInstance("MD5");
			byte[] digest = md5.digest((user + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("MD5 is required by every Java runtime", ex);
		}
	}

}
