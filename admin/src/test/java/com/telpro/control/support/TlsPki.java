package com.telpro.control.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A small PKI made with the openssl command at test time in one folder (no key is ever
 * committed): self-signed CAs, a TLS server certificate and client certificates they
 * issue.
 */
public final class TlsPki {

	/**
	 * A certificate file, its private key file (PKCS#8 PEM) and the certificate as text.
	 */
	public record Entity(Path certificate, Path key, String certificatePem) {
	}

	private static final String EXTENSIONS = """
			[ca]
			basicConstraints = critical,CA:TRUE
			keyUsage = critical,keyCertSign,cRLSign
			subjectKeyIdentifier = hash
			[server]
			basicConstraints = critical,CA:FALSE
			keyUsage = critical,digitalSignature,keyEncipherment
			extendedKeyUsage = serverAuth
			subjectAltName = IP:127.0.0.1,DNS:localhost
			[client]
			basicConstraints = critical,CA:FALSE
			keyUsage = critical,digitalSignature,keyEncipherment
			extendedKeyUsage = clientAuth
			""";

	private final Path dir;

	private TlsPki(Path dir) {
		this.dir = dir;
	}

	public static TlsPki in(Path dir) {
		try {
			Files.createDirectories(dir);
			Files.writeString(dir.resolve("extensions.cnf"), EXTENSIONS);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new TlsPki(dir);
	}

	/** A self-signed CA (P-256) named {@code /O=Telpro Test/CN=<commonName>}. */
	public Entity ca(String file, String commonName) {
		openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
				file + ".key", "-out", file + ".crt", "-days", "2", "-subj", "/O=Telpro Test/CN=" + commonName,
				"-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
		return entity(file);
	}

	public Entity server(String file, Entity ca) {
		return issue(file, ca, "localhost", "server");
	}

	public Entity client(String file, Entity ca, String commonName) {
		return issue(file, ca, commonName, "client");
	}

	private Entity issue(String file, Entity ca, String commonName, String extensions) {
		openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
				file + ".key", "-out", file + ".csr", "-subj", "/O=Telpro Test/CN=" + commonName);
		openssl("x509", "-req", "-in", file + ".csr", "-CA", ca.certificate().toString(), "-CAkey", ca.key().toString(),
				"-set_serial", String.valueOf(System.nanoTime()), "-days", "2", "-extfile", "extensions.cnf",
				"-extensions", extensions, "-out", file + ".crt");
		return entity(file);
	}

	private Entity entity(String file) {
		try {
			Path certificate = dir.resolve(file + ".crt");
			return new Entity(certificate, dir.resolve(file + ".key"), Files.readString(certificate));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void openssl(String... args) {
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(args));
		ProcessResult result = ProcessResult.run(command, Duration.ofSeconds(20), dir);
		if (result.exitCode() != 0) {
			throw new IllegalStateException("openssl " + String.join(" ", args) + " failed:\n" + result.output());
		}
	}

}
