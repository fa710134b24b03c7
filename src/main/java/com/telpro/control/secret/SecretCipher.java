package com.telpro.control.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.jasypt.encryption.pbe.PooledPBEStringEncryptor;
import org.jasypt.iv.RandomIvGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Encrypts secrets at rest with jasypt (AES-256, random salt and IV per value). */
@Component
public class SecretCipher {

	private static final Logger log = LoggerFactory.getLogger(SecretCipher.class);

	private final PooledPBEStringEncryptor encryptor = new PooledPBEStringEncryptor();

	SecretCipher(SecretsProperties properties) {
		encryptor.setPoolSize(2);
		encryptor.setAlgorithm("PBEWITHHMACSHA512ANDAES_256");
		encryptor.setIvGenerator(new RandomIvGenerator());
		encryptor.setKeyObtentionIterations(1000);
		encryptor.setPassword(resolveKey(properties));
	}

	public String encrypt(String plaintext) {
		return plaintext == null ? null : encryptor.encrypt(plaintext);
	}

	public String decrypt(String ciphertext) {
		return ciphertext == null ? null : encryptor.decrypt(ciphertext);
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
