package com.telpro.control.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A SIP client over TLS (Java's SSLSocket; Debian's sipp is built without TLS): connects
 * from 127.0.0.1, trusts the edge's server CA, presents a client certificate when it has
 * one (whatever CAs the server says it accepts), sends one OPTIONS to the proxy and reads
 * the status line. Every request uses a fresh TLS context, so no session is ever resumed.
 * {@link #udpOptions} sends the same request over plain UDP.
 */
public final class SipTlsClient {

	private static final int TIMEOUT_MILLIS = 3000;

	private static final char[] STORE_PASSWORD = "unused".toCharArray();

	private final Path serverCa;

	private final Path certificate;

	private final Path key;

	private SipTlsClient(Path serverCa, Path certificate, Path key) {
		this.serverCa = serverCa;
		this.certificate = certificate;
		this.key = key;
	}

	/** No client certificate. */
	public static SipTlsClient anonymous(Path serverCa) {
		return new SipTlsClient(serverCa, null, null);
	}

	/**
	 * Presents this certificate (PEM) with its PKCS#8 private key (PEM) when the server
	 * asks.
	 */
	public static SipTlsClient withCertificate(Path serverCa, TlsPki.Entity client) {
		return new SipTlsClient(serverCa, client.certificate(), client.key());
	}

	/**
	 * The answer to one OPTIONS: the status line, or null with the reason when the
	 * connection ended without one (the edge refused the handshake).
	 */
	public record Reply(String statusLine, String failure) {

		public int status() {
			return statusLine == null ? -1 : Integer.parseInt(statusLine.substring(8, 11));
		}

		@Override
		public String toString() {
			return statusLine != null ? statusLine : "no answer: " + failure;
		}

	}

	public Reply options(int tlsPort, String fromDomain) {
		return send(tlsPort, localPort -> request("TLS", localPort, tlsPort, fromDomain));
	}

	/**
	 * An INVITE (no SDP) to user 100 at the proxy with the given Call-ID: a call attempt,
	 * which gets a call record (kamailio/CALL-RECORDS.md).
	 */
	public Reply invite(int tlsPort, String fromDomain, String callId) {
		return send(tlsPort, localPort -> {
			String tag = UUID.randomUUID().toString().replace("-", "");
			String ruri = "sip:100@127.0.0.1:" + tlsPort + ";transport=tls";
			return "INVITE " + ruri + " SIP/2.0\r\n" + "Via: SIP/2.0/TLS 127.0.0.1:" + localPort + ";branch=z9hG4bK"
					+ tag + ";rport\r\n" + "Max-Forwards: 70\r\n" + "From: <sip:carrier@" + fromDomain + ">;tag=" + tag
					+ "\r\n" + "To: <" + ruri + ">\r\n" + "Call-ID: " + callId + "\r\n" + "CSeq: 1 INVITE\r\n"
					+ "Contact: <sip:carrier@127.0.0.1:" + localPort + ";transport=tls>\r\n"
					+ "Content-Length: 0\r\n\r\n";
		});
	}

	private Reply send(int tlsPort, java.util.function.IntFunction<String> requestFromLocalPort) {
		SSLContext context = context();
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tlsPort), TIMEOUT_MILLIS);
			socket.setSoTimeout(TIMEOUT_MILLIS);
			socket.startHandshake();
			String request = requestFromLocalPort.apply(socket.getLocalPort());
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			String head = readHead(socket.getInputStream());
			// an INVITE may get a provisional answer first: the final one counts
			while (head.startsWith("SIP/2.0 1")) {
				head = readHead(socket.getInputStream());
			}
			if (head.isEmpty()) {
				return new Reply(null, "connection closed");
			}
			return new Reply(head.substring(0, head.indexOf("\r\n")), null);
		}
		catch (IOException ex) {
			// TLS 1.3: a refused client certificate surfaces after the client's
			// handshake, on read
			return new Reply(null, ex.toString());
		}
	}

	/**
	 * The same OPTIONS over plain UDP from 127.0.0.1: the status code, or -1 without an
	 * answer.
	 */
	public static int udpOptions(int udpPort, String fromDomain) {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
			socket.setSoTimeout(TIMEOUT_MILLIS);
			byte[] out = request("UDP", socket.getLocalPort(), udpPort, fromDomain).getBytes(StandardCharsets.US_ASCII);
			socket.send(new DatagramPacket(out, out.length, new InetSocketAddress("127.0.0.1", udpPort)));
			byte[] in = new byte[4096];
			DatagramPacket answer = new DatagramPacket(in, in.length);
			socket.receive(answer);
			return Integer.parseInt(new String(in, 8, 3, StandardCharsets.US_ASCII));
		}
		catch (SocketTimeoutException ex) {
			return -1;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String request(String transport, int localPort, int proxyPort, String fromDomain) {
		String tag = UUID.randomUUID().toString().replace("-", "");
		return "OPTIONS sip:127.0.0.1:" + proxyPort + " SIP/2.0\r\n" + "Via: SIP/2.0/" + transport + " 127.0.0.1:"
				+ localPort + ";branch=z9hG4bK" + tag + ";rport\r\n" + "Max-Forwards: 70\r\n" + "From: <sip:carrier@"
				+ fromDomain + ">;tag=" + tag + "\r\n" + "To: <sip:127.0.0.1:" + proxyPort + ">\r\n" + "Call-ID: " + tag
				+ "@127.0.0.1\r\n" + "CSeq: 1 OPTIONS\r\n" + "Content-Length: 0\r\n\r\n";
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) >= 0) {
			head.write(b);
			if (head.size() > 8192 || head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
				break;
			}
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	private SSLContext context() {
		try {
			CertificateFactory x509 = CertificateFactory.getInstance("X.509");
			KeyStore trust = KeyStore.getInstance("PKCS12");
			trust.load(null, null);
			try (InputStream in = Files.newInputStream(serverCa)) {
				trust.setCertificateEntry("edge-ca", x509.generateCertificate(in));
			}
			TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			tmf.init(trust);
			KeyManager[] keyManagers = null;
			if (certificate != null) {
				KeyStore keys = KeyStore.getInstance("PKCS12");
				keys.load(null, null);
				Certificate cert;
				try (InputStream in = Files.newInputStream(certificate)) {
					cert = x509.generateCertificate(in);
				}
				keys.setKeyEntry("client", privateKey(), STORE_PASSWORD, new Certificate[] { cert });
				KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				kmf.init(keys, STORE_PASSWORD);
				keyManagers = new KeyManager[] { new AlwaysPresent((X509ExtendedKeyManager) kmf.getKeyManagers()[0]) };
			}
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers, tmf.getTrustManagers(), null);
			return context;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Presents the certificate even when its issuer is not among the CAs the server names
	 * in its CertificateRequest (Java's default would then send none), like a client that
	 * tries anyway.
	 */
	private static final class AlwaysPresent extends X509ExtendedKeyManager {

		private final X509ExtendedKeyManager keys;

		AlwaysPresent(X509ExtendedKeyManager keys) {
			this.keys = keys;
		}

		@Override
		public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
			return "client";
		}

		@Override
		public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
			return "client";
		}

		@Override
		public String[] getClientAliases(String keyType, Principal[] issuers) {
			return new String[] { "client" };
		}

		@Override
		public String[] getServerAliases(String keyType, Principal[] issuers) {
			return null;
		}

		@Override
		public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
			return null;
		}

		@Override
		public X509Certificate[] getCertificateChain(String alias) {
			return keys.getCertificateChain(alias);
		}

		@Override
		public PrivateKey getPrivateKey(String alias) {
			return keys.getPrivateKey(alias);
		}

	}

	private PrivateKey privateKey() throws IOException, GeneralSecurityException {
		String pem = Files.readString(key);
		String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		return KeyFactory.getInstance("EC")
			.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
	}

}
