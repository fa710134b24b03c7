package com.telpro.control.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.telpro.contract.Certificates;

/**
 * Certificates and keys made with the openssl command at test time, so no private key is
 * ever committed. Each call makes a fresh key pair in its own temporary folder.
 */
public final class TestPki {

	/** The certificate and its private key (PKCS#8 PEM), both as text. */
	public record Issued(String certificatePem, String privateKeyPem) {
	}

	private static final String CONFIG = """
			[req]
			distinguished_name = dn
			prompt = no
			[dn]
			CN = unused
			[ca]
			basicConstraints = critical,CA:TRUE
			keyUsage = critical,keyCertSign,cRLSign
			subjectKeyIdentifier = hash
			[ca_without_keycertsign]
			basicConstraints = critical,CA:TRUE
			keyUsage = critical,digitalSignature
			[leaf]
			basicConstraints = critical,CA:FALSE
			keyUsage = critical,digitalSignature,keyEncipherment
			extendedKeyUsage = serverAuth
			""";

	private TestPki() {
	}

	/** A self-signed CA: basicConstraints CA=true, keyUsage keyCertSign. */
	public static Issued ca(String commonName, int days) {
		return selfSigned("ca", commonName, days);
	}

	/** A self-signed end-entity certificate (CA=false): not acceptable as CA_CERT. */
	public static Issued leaf(String commonName) {
		return selfSigned("leaf", commonName, 365);
	}

	/** CA=true but keyUsage without keyCertSign. */
	public static Issued caWithoutKeyCertSign(String commonName) {
		return selfSigned("ca_without_keycertsign", commonName, 365);
	}

	/** A traditional PKCS#1 RSA key ({@code -----BEGIN RSA PRIVATE KEY-----}). */
	public static String rsaPkcs1Key() {
		Path dir = tempDir();
		Path key = dir.resolve("rsa.pem");
		openssl(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "pkcs8.pem");
		openssl(dir, "rsa", "-in", "pkcs8.pem", "-traditional", "-out", key.toString());
		return read(key);
	}

	private static Issued selfSigned(String extensions, String commonName, int days) {
		Path dir = tempDir();
		try {
			Files.writeString(dir.resolve("openssl.cnf"), CONFIG);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
				"key.pem", "-out", "cert.pem", "-days", String.valueOf(days), "-config", "openssl.cnf", "-extensions",
				extensions, "-subj", "/O=Telpro Test/CN=" + commonName);
		return new Issued(read(dir.resolve("cert.pem")), read(dir.resolve("key.pem")));
	}

	private static void openssl(Path dir, String... args) {
		List<String> command = new ArrayList<>();
		command.add("openssl");
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).directory(dir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(dir.resolve("openssl.log").toFile())
				.start();
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("openssl failed: " + command + "\n" + read(dir.resolve("openssl.log")));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Path tempDir() {
		try {
			Path dir = Files.createTempDirectory("telpro-pki-");
			dir.toFile().deleteOnExit();
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
