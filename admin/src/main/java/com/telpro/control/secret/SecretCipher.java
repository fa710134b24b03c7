package com.telpro.control.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.jasypt.encryption.pbe.PooledPBEStringEncryptor;
import org.jasypt.iv.RandomIvGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets at rest with AES-256-GCM under one key derived once at start from
 * {@code TELPRO_SECRETS_KEY} (PBKDF2-HMAC-SHA512). Values are {@code v2:} + base64(nonce,
 * ciphertext and tag).
 * <p>
 * Why not jasypt per value any more: its PBE derives a key for every value (1,000 PBKDF2
 * rounds, about 1 ms), so loading 10,000 digest trunks took over 12 s. Values written by
 * the jasypt encryptor (no {@code v2:} prefix) stay readable; migration V70 rewrites them
 * in the new form.
 */
@Component
public class SecretCipher {

	private static final Logger log = LoggerFactory.getLogger(SecretCipher.class);

	static final String PREFIX = "v2:";

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	/**
	 * Derivation runs once per process: OWASP's count for PBKDF2-HMAC-SHA512, the key may
	 * be a passphrase.
	 */
	private static final int KEY_ITERATIONS = 210_000;

	/**
	 * Fixed, public salt: separates this use of the key from any other; the key itself is
	 * the secret.
	 */
	private static final byte[] KEY_SALT = "telpro secrets at rest v2".getBytes(StandardCharsets.US_ASCII);

	/**
	 * Binds every ciphertext to this scheme, so a value cannot be replayed into another
	 * format.
	 */
	private static final byte[] AAD = PREFIX.getBytes(StandardCharsets.US_ASCII);

	private final SecretKey key;

	private final PooledPBEStringEncryptor legacy = new PooledPBEStringEncryptor();

	private final SecureRandom random = new SecureRandom();

	/**
	 * Cipher.getInstance looks the provider up each time: one instance per thread,
	 * re-initialised per value.
	 */
	private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(SecretCipher::newCipher);

	SecretCipher(SecretsProperties properties) {
		String password = resolveKey(properties);
		this.key = deriveKey(password);
		legacy.setPoolSize(2);
		legacy.setAlgorithm("PBEWITHHMACSHA512ANDAES_256");
		legacy.setIvGenerator(new RandomIvGenerator());
		legacy.setKeyObtentionIterations(1000);
		legacy.setPassword(password);
	}

	public String encrypt(String plaintext) {
		if (plaintext == null) {
			return null;
		}
		try {
			byte[] nonce = new byte[NONCE_BYTES];
			random.nextBytes(nonce);
			Cipher cipher = ciphers.get();
			cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(AAD);
			byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
			byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
			return PREFIX + Base64.getEncoder().encodeToString(out);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot encrypt a secret", ex);
		}
	}

	public String decrypt(String ciphertext) {
		if (ciphertext == null) {
			return null;
		}
		if (!isCurrent(ciphertext)) {
			return legacy.decrypt(ciphertext);
		}
		try {
			byte[] in = Base64.getDecoder().decode(ciphertext.substring(PREFIX.length()));
			Cipher cipher = ciphers.get();
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
			cipher.updateAAD(AAD);
			return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			// Never the value in the message: it reaches logs.
			throw new IllegalStateException("Cannot decrypt a stored secret (wrong TELPRO_SECRETS_KEY?)", ex);
		}
	}

	/**
	 * True when the value is in the current form; false for jasypt ciphertext from before
	 * V70.
	 */
	public static boolean isCurrent(String ciphertext) {
		return ciphertext.startsWith(PREFIX);
	}

	private static Cipher newCipher() {
		try {
			return Cipher.getInstance(TRANSFORMATION);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is not available", ex);
		}
	}

	private static SecretKey deriveKey(String password) {
		try {
			SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512");
			byte[] bytes = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), KEY_SALT, KEY_ITERATIONS, 256))
				.getEncoded();
			return new SecretKeySpec(bytes, "AES");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot derive the secrets key", ex);
		}
	}

	private static String resolveKey(SecretsProperties properties) {
		if (properties.key() != null && !properties.key().isBlank()) {
			return properties.key();
		}
		Path file = properties.keyFile();
		try {
			if (Files.exists(file)) {
				return Files.readString(file, StandardCharsets.UTF_8).trim();
			}
			byte[] random = new byte[32];
			new SecureRandom().nextBytes(random);
			String key = HexFormat.of().formatHex(random);
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
			try {
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
			}
			catch (UnsupportedOperationException ignored) {
				// Not a POSIX file system: the folder's own permissions protect it.
			}
			log.warn("No TELPRO_SECRETS_KEY set: created a new secrets key in {}; back it up, "
					+ "without it the stored secrets cannot be read", file.toAbsolutePath());
			return key;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create the secrets key file " + file, ex);
		}
	}

}
