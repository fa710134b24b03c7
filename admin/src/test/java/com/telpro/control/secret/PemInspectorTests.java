package com.telpro.control.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import com.telpro.contract.Certificates;
import com.telpro.contract.PemBlock;
import com.telpro.control.config.FieldProblem;
import org.junit.jupiter.api.Test;

class PemInspectorTests {

	private final PemInspector inspector = new PemInspector();

	@Test
	void acceptsACaCertificateWithItsMetadataAndTheSha256OfItsDer() throws Exception {
		TestPki.Issued ca = TestPki.ca("Carrier Root", 365);

		InspectedMaterial inspected = inspector.inspect(SecretPurpose.CA_CERT, "comment line\n" + ca.certificatePem());

		X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(new ByteArrayInputStream(ca.certificatePem().getBytes()));
		assertThat(inspected.subject()).isEqualTo("CN=Carrier Root,O=Telpro Test");
		assertThat(inspected.issuer()).isEqualTo(inspected.subject());
		assertThat(inspected.fingerprintSha256()).hasSize(64)
			.isEqualTo(Certificates.sha256Hex(parsed.getEncoded()))
			.isLowerCase();
		assertThat(inspected.notAfter()).isBetween(Instant.now().plus(Duration.ofDays(364)),
				Instant.now().plus(Duration.ofDays(366)));
		assertThat(inspected.pem()).startsWith("-----BEGIN CERTIFICATE-----\n").doesNotContain("comment");
	}

	@Test
	void refusesALeafCertificateAsCa() {
		assertThatThrownBy(
				() -> inspector.inspect(SecretPurpose.CA_CERT, TestPki.leaf("sip.example.com").certificatePem()))
			.isInstanceOfSatisfying(SecretRejectedException.class, ex -> assertThat(ex.problems())
				.contains(new FieldProblem("pem", "is not a CA certificate: basicConstraints CA=true is missing")));
	}

	@Test
	void refusesACaWhoseKeyUsageCannotSignCertificates() {
		assertThatThrownBy(() -> inspector.inspect(SecretPurpose.CA_CERT,
				TestPki.caWithoutKeyCertSign("No Sign").certificatePem()))
			.isInstanceOfSatisfying(SecretRejectedException.class,
					ex -> assertThat(ex.problems()).extracting(FieldProblem::message)
						.containsExactly("is not a CA certificate: its keyUsage lacks keyCertSign"));
	}

	@Test
	void refusesGarbageCutBlocksAndNonCertificates() {
		String ca = TestPki.ca("Root", 30).certificatePem();
		assertThatThrownBy(() -> inspector.inspect(SecretPurpose.CA_CERT, "hello world"))
			.isInstanceOf(SecretRejectedException.class);
		assertThatThrownBy(() -> inspector.inspect(SecretPurpose.CA_CERT, ca.substring(0, ca.length() / 2)))
			.isInstanceOf(SecretRejectedException.class);
		assertThatThrownBy(() -> inspector.inspect(SecretPurpose.CA_CERT,
				"-----BEGIN CERTIFICATE-----\nAAAAAAAAAAAAAAAA\n-----END CERTIFICATE-----\n"))
			.isInstanceOfSatisfying(SecretRejectedException.class, ex -> assertThat(ex.problems().get(0).message())
				.isEqualTo("PEM block 1 is not an X.509 certificate"));
		assertThatThrownBy(() -> inspector.inspect(SecretPurpose.CA_CERT, ca + ca))
			.isInstanceOf(SecretRejectedException.class);
	}

	@Test
	void refusesAPrivateKeyInsideACertificateUploadWithoutQuotingIt() {
		TestPki.Issued ca = TestPki.ca("Root", 30);
		assertThatThrownBy(() -> inspector.inspect(SecretPurpose.CA_CERT, ca.certificatePem() + ca.privateKeyPem()))
			.isInstanceOfSatisfying(SecretRejectedException.class,
					ex -> assertThat(ex.problems().get(0).message()).contains("holds a private key")
						.doesNotContain(keyBody(ca.privateKeyPem())));
		assertThatThrownBy(() -> inspector.inspect(SecretPurpose.TLS_SERVER_CERT, ca.privateKeyPem()))
			.isInstanceOf(SecretRejectedException.class);
	}

	@Test
	void readsPkcs8AndPkcs1PrivateKeysForTheServerKeyPurpose() {
		InspectedMaterial ec = inspector.inspect(SecretPurpose.TLS_SERVER_KEY, TestPki.ca("K", 30).privateKeyPem());
		assertThat(ec.keyAlgorithm()).isEqualTo("EC");
		assertThat(ec.pem()).startsWith("-----BEGIN PRIVATE KEY-----");
		assertThat(ec.subject()).isNull();
		assertThat(ec.fingerprintSha256()).isNull();

		InspectedMaterial rsa = inspector.inspect(SecretPurpose.TLS_SERVER_KEY, TestPki.rsaPkcs1Key());
		assertThat(rsa.keyAlgorithm()).isEqualTo("RSA");
		assertThat(rsa.pem()).startsWith("-----BEGIN PRIVATE KEY-----");

		assertThatThrownBy(() -> inspector.inspect(SecretPurpose.TLS_SERVER_KEY, TestPki.leaf("x").certificatePem()))
			.isInstanceOf(SecretRejectedException.class);
	}

	@Test
	void acceptsAServerCertificateWithItsChain() {
		String chain = TestPki.leaf("edge.example.com").certificatePem() + TestPki.ca("Root", 30).certificatePem();
		InspectedMaterial inspected = inspector.inspect(SecretPurpose.TLS_SERVER_CERT, chain);
		assertThat(inspected.subject()).isEqualTo("CN=edge.example.com,O=Telpro Test");
		assertThat(PemBlock.parseAll(inspected.pem())).hasSize(2);
	}

	static String keyBody(String pem) {
		return pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
	}

}
