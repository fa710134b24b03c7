package com.telpro.control.secret;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/secrets}: a name, what the PEM is for, and the PEM text. */
public record SecretUpload(@NotBlank @Size(max = 100) @Pattern(regexp = "[\\p{Alnum}][\\p{Alnum} ._-]*",
		message = "letters, digits, space, dot, underscore and dash; starts with a letter or digit") String name,
		@NotNull SecretPurpose purpose, @NotBlank @Size(max = 65536) String pem) {

	@Override
	public String toString() {
		// Never the PEM: it may be a private key.
		return "SecretUpload[name=" + name + ", purpose=" + purpose + "]";
	}

}
