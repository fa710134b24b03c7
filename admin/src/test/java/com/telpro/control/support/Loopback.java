package com.telpro.control.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free loopback ports for processes the tests start. */
public final class Loopback {

	private Loopback() {
	}

	/** A port free for both UDP and TCP on 127.0.0.1 (SIP listens on both). */
	public static int freeSipPort() {
		for (int attempt = 0; attempt < 20; attempt++) {
			try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				int port = tcp.getLocalPort();
				try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
					return port;
				}
				catch (IOException busy) {
					// taken for UDP: try another
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		throw new IllegalStateException("no free loopback port for UDP and TCP");
	}

}
