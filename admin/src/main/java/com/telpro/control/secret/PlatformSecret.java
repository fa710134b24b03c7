package com.telpro.control.secret;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.Version;

/**
 * An uploaded PEM and its public metadata. Immutable once stored: to rotate, upload a new
 * secret, point the trunks at it, delete the old one. The material column holds only
 * ciphertext.
 */
@Entity
class PlatformSecret {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Version
	private long version;

	private String name;

	@Enumerated(EnumType.STRING)
	private SecretPurpose purpose;

	@Column(name = "material_encrypted")
	@Convert(converter = EncryptedStringConverter.class)
	private String material;

	private String subject;

	private String issuer;

	private String serialNumber;

	private Instant notBefore;

	private Instant notAfter;

	private String fingerprintSha256;

	private String keyAlgorithm;

	private Instant createdAt;

	protected PlatformSecret() {
	}

	PlatformSecret(String name, SecretPurpose purpose, InspectedMaterial inspected) {
		this.name = name;
		this.purpose = purpose;
		this.material = inspected.pem();
		this.subject = inspected.subject();
		this.issuer = inspected.issuer();
		this.serialNumber = inspected.serialNumber();
		this.notBefore = inspected.notBefore();
		this.notAfter = inspected.notAfter();
		this.fingerprintSha256 = inspected.fingerprintSha256();
		this.keyAlgorithm = inspected.keyAlgorithm();
	}

	@PrePersist
	void onCreate() {
		createdAt = Instant.now();
	}

	Long getId() {
		return id;
	}

	String getName() {
		return name;
	}

	SecretPurpose getPurpose() {
		return purpose;
	}

	/** The plaintext PEM, in memory only. Never leaves the service for a private key. */
	String getMaterial() {
		return material;
	}

	String getSubject() {
		return subject;
	}

	String getIssuer() {
		return issuer;
	}

	String getSerialNumber() {
		return serialNumber;
	}

	Instant getNotBefore() {
		return notBefore;
	}

	Instant getNotAfter() {
		return notAfter;
	}

	String getFingerprintSha256() {
		return fingerprintSha256;
	}

	String getKeyAlgorithm() {
		return keyAlgorithm;
	}

	Instant getCreatedAt() {
		return createdAt;
	}

	@Override
	public String toString() {
		// Never the material: this string reaches logs.
		return "PlatformSecret[id=" + id + ", name=" + name + ", purpose=" + purpose + "]";
	}

}
