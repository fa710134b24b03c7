package com.telpro.control.secret;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The key that encrypts secrets at rest ({@code TELPRO_SECRETS_KEY}). Without one, a
 * random key is created once in {@code keyFile} so the embedded default works out of the
 * box; production sets the key explicitly and keeps it out of the database's backups.
 */
@ConfigurationProperties("telpro.secrets")
public record SecretsProperties(String key, @DefaultValue("data/secrets.key") Path keyFile) {
}
