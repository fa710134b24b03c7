package com.telpro.control.subscriber;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A PostgreSQL SCRAM-SHA-256 password verifier (RFC 5802/7677, the format PostgreSQL
 * stores in pg_authid): computed here so the plaintext password never reaches the server
 * or its logs. PostgreSQL stores a value already in this form as it is, whatever
 * password_encryption says.
 */
final class ScramVerifier {

	private static final int ITERATIONS = 4096;

	private static final int SALT_BYTES = 16;

	private static final SecureRandom RANDOM = new SecureRandom();

	private ScramVerifier() {
	}

	/**
	 * For ASCII passwords SASLprep is the identity; others are refused rather than
	 * mis-hashed.
	 */
	static String of(String password) {
		if (!StandardCharsets.US_ASCII.newEncoder().canEncode(password)) {
			throw new IllegalArgumentException("the Kamailio database password must be ASCII");
		}
		byte[] salt = new byte[SALT_BYTES];
		RANDOM.nextBytes(salt);
		return of(password, salt, ITERATIONS);
	}

	static String of(String password, byte[] salt, int iterations) {
		try {
			SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
			byte[] salted = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
				.getEncoded();
			byte[] clientKey = hmac(salted, "Client Key");
			byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
			byte[] serverKey = hmac(salted, "Server Key");
			Base64.Encoder b64 = Base64.getEncoder();
			return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey)
					+ ":" + b64.encodeToString(serverKey);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("PBKDF2/HMAC-SHA-256 are required by every Java runtime", ex);
		}
	}

	private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(key, "HmacSHA256"));
		return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
	}

}
