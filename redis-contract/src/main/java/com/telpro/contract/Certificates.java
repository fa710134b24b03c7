package com.telpro.contract;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

/**
 * X.509 helpers on the JDK's own parser, shared by the secrets service and the TLS
 * watcher.
 */
public final class Certificates {

	private Certificates() {
	}

	/**
	 * Parses one DER certificate.
	 * @throws IllegalArgumentException when it is not an X.509 certificate
	 */
	public static X509Certificate parse(byte[] der) {
		try {
			CertificateFactory factory = CertificateFactory.getInstance("X.509");
			if (factory.generateCertificate(new ByteArrayInputStream(der)) instanceof X509Certificate x509) {
				return x509;
			}
		}
		catch (CertificateException | RuntimeException ex) {
			// fall through: the parser's message may quote the input
		}
		throw new IllegalArgumentException("is not an X.509 certificate");
	}

	/** SHA-256 of {@code bytes}, lowercase hex without separators. */
	public static String sha256Hex(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK has SHA-256", ex);
		}
	}

	public static String sha256Hex(String text) {
		return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
	}

	/** The certificate's fingerprint: SHA-256 of its DER, lowercase hex. */
	public static String fingerprint(X509Certificate certificate) {
		try {
			return sha256Hex(certificate.getEncoded());
		}
		catch (java.security.cert.CertificateEncodingException ex) {
			throw new IllegalStateException("A parsed certificate always encodes", ex);
		}
	}

	/** A canonical PEM block: 64-column base64, LF line ends, a trailing LF. */
	public static String toPem(String type, byte[] der) {
		String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
		return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
	}

}
