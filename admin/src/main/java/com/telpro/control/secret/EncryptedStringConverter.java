package com.telpro.control.secret;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.springframework.stereotype.Component;

/** A JPA column that holds only ciphertext; the entity sees the plaintext. */
@Component
@Converter
public class EncryptedStringConverter implements AttributeConverter<String, String> {

	private final SecretCipher cipher;

	EncryptedStringConverter(SecretCipher cipher) {
		this.cipher = cipher;
	}

	@Override
	public String convertToDatabaseColumn(String plaintext) {
		return plaintext == null || plaintext.isEmpty() ? null : cipher.encrypt(plaintext);
	}

	@Override
	public String convertToEntityAttribute(String ciphertext) {
		return cipher.decrypt(ciphertext);
	}

}
