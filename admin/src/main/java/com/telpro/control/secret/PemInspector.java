package com.telpro.control.secret;

import java.io.ByteArrayOutputStream;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;

import com.telpro.contract.Certificates;
import com.telpro.contract.PemBlock;
import com.telpro.control.config.FieldProblem;
import org.springframework.stereotype.Component;

/**
 * Parses an uploaded PEM with the JDK's X.509 and key parsers and applies the rules of
 * its purpose. Every rejection names the field {@code pem} and never quotes the upload.
 */
@Component
class PemInspector {

	static final String FIELD = "pem";

	/** keyUsage bit 5: the key may sign certificates (RFC 5280 4.2.1.3). */
	private static final int KEY_CERT_SIGN = 5;

	private static final String[] KEY_ALGORITHMS = { "RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS" };

	private final Clock clock;

	PemInspector() {
		this(Clock.systemUTC());
	}

	PemInspector(Clock clock) {
		this.clock = clock;
	}

	InspectedMaterial inspect(SecretPurpose purpose, String pem) {
		List<PemBlock> blocks;
		try {
			blocks = PemBlock.parseAll(pem);
		}
		catch (IllegalArgumentException ex) {
			throw new SecretRejectedException(FIELD, ex.getMessage());
		}
		return switch (purpose) {
			case CA_CERT -> caCertificate(blocks);
			case TLS_SERVER_CERT -> serverCertificate(blocks);
			case TLS_SERVER_KEY -> privateKey(blocks);
		};
	}

	private InspectedMaterial caCertificate(List<PemBlock> blocks) {
		refusePrivateKeys(blocks);
		if (blocks.size() != 1 || !"CERTIFICATE".equals(blocks.get(0).type())) {
			throw new SecretRejectedException(FIELD,
					"must hold exactly one CERTIFICATE block (upload each CA of a chain as its own secret)");
		}
		X509Certificate certificate = certificate(blocks.get(0), 1);
		List<String> problems = new ArrayList<>();
		if (certificate.getBasicConstraints() < 0) {
			problems.add("is not a CA certificate: basicConstraints CA=true is missing");
		}
		boolean[] keyUsage = certificate.getKeyUsage();
		if (keyUsage != null && (keyUsage.length <= KEY_CERT_SIGN || !keyUsage[KEY_CERT_SIGN])) {
			problems.add("is not a CA certificate: its keyUsage lacks keyCertSign");
		}
		if (!problems.isEmpty()) {
			throw new SecretRejectedException(problems.stream().map(m -> new FieldProblem(FIELD, m)).toList());
		}
		requireCurrentlyValid(certificate);
		return describe(certificate, Certificates.toPem("CERTIFICATE", blocks.get(0).der()));
	}

	private InspectedMaterial serverCertificate(List<PemBlock> blocks) {
		refusePrivateKeys(blocks);
		StringBuilder chain = new StringBuilder();
		X509Certificate leaf = null;
		for (int i = 0; i < blocks.size(); i++) {
			PemBlock block = blocks.get(i);
			if (!"CERTIFICATE".equals(block.type())) {
				throw new SecretRejectedException(FIELD, "PEM block " + (i + 1) + " is not a CERTIFICATE");
			}
			X509Certificate certificate = certificate(block, i + 1);
			if (leaf == null) {
				leaf = certificate;
			}
			chain.append(Certificates.toPem("CERTIFICATE", block.der()));
		}
		requireCurrentlyValid(leaf);
		return describe(leaf, chain.toString());
	}

	private InspectedMaterial privateKey(List<PemBlock> blocks) {
		if (blocks.size() != 1) {
			throw new SecretRejectedException(FIELD, "must hold exactly one private key block");
		}
		PemBlock block = blocks.get(0);
		byte[] pkcs8 = switch (block.type()) {
			case "PRIVATE KEY" -> block.der();
			case "RSA PRIVATE KEY" -> wrapPkcs1RsaKey(block.der());
			case "ENCRYPTED PRIVATE KEY" -> throw new SecretRejectedException(FIELD,
					"is an encrypted key: upload it unencrypted (openssl pkcs8 -topk8 -nocrypt); it is stored encrypted");
			case "EC PRIVATE KEY" -> throw new SecretRejectedException(FIELD,
					"is a SEC1 EC key: convert it to PKCS#8 first (openssl pkcs8 -topk8 -nocrypt)");
			default -> throw new SecretRejectedException(FIELD, "is not a private key (PRIVATE KEY block expected)");
		};
		for (String algorithm : KEY_ALGORITHMS) {
			try {
				PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
				return new InspectedMaterial(Certificates.toPem("PRIVATE KEY", key.getEncoded()), null, null, null,
						null, null, null, key.getAlgorithm());
			}
			catch (Exception ex) {
				// not this algorithm; the exception text may quote key bytes, so it is
				// dropped
			}
		}
		throw new SecretRejectedException(FIELD, "is not a private key the JDK can read (RSA, EC, Ed25519, Ed448)");
	}

	private static void refusePrivateKeys(List<PemBlock> blocks) {
		if (blocks.stream().anyMatch(b -> b.type().contains("PRIVATE KEY"))) {
			throw new SecretRejectedException(FIELD,
					"holds a private key: upload a key only with purpose TLS_SERVER_KEY; nothing was stored");
		}
	}

	private static X509Certificate certificate(PemBlock block, int position) {
		try {
			return Certificates.parse(block.der());
		}
		catch (IllegalArgumentException ex) {
			throw new SecretRejectedException(FIELD, "PEM block " + position + " " + ex.getMessage());
		}
	}

	private void requireCurrentlyValid(X509Certificate certificate) {
		try {
			certificate.checkValidity(Date.from(clock.instant()));
		}
		catch (CertificateExpiredException ex) {
			throw new SecretRejectedException(FIELD, "expired on " + certificate.getNotAfter().toInstant());
		}
		catch (CertificateNotYetValidException ex) {
			// accepted: the list shows "not yet valid" until its notBefore
		}
	}

	private static InspectedMaterial describe(X509Certificate certificate, String pem) {
		return new InspectedMaterial(pem, certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
				certificate.getIssuerX500Principal().getName(X500Principal.RFC2253),
				certificate.getSerialNumber().toString(16), certificate.getNotBefore().toInstant(),
				certificate.getNotAfter().toInstant(), Certificates.fingerprint(certificate),
				certificate.getPublicKey().getAlgorithm());
	}

	/**
	 * PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo (RFC 5208), which the JDK
	 * reads.
	 */
	private static byte[] wrapPkcs1RsaKey(byte[] pkcs1) {
		byte[] version = { 0x02, 0x01, 0x00 };
		byte[] rsaAlgorithm = { 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
				0x01, 0x01, 0x05, 0x00 };
		byte[] octets = der(0x04, pkcs1);
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(version);
		body.writeBytes(rsaAlgorithm);
		body.writeBytes(octets);
		return der(0x30, body.toByteArray());
	}

	private static byte[] der(int tag, byte[] content) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(tag);
		int length = content.length;
		if (length < 0x80) {
			out.write(length);
		}
		else {
			int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
			out.write(0x80 | bytes);
			for (int i = bytes - 1; i >= 0; i--) {
				out.write(length >>> (8 * i));
			}
		}
		out.writeBytes(content);
		return out.toByteArray();
	}

}
