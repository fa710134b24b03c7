package com.telpro.control.kamailio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.telpro.control.support.Loopback;

/**
 * A backend that never answers and records the first line of everything the edge sends
 * it, over UDP and TCP: proof that nothing reached the application server.
 */
final class CountingBackend implements AutoCloseable {

	private final int port = Loopback.freeSipPort();

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final DatagramSocket udp;

	private final ServerSocket tcp;

	CountingBackend() {
		try {
			udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
			tcp = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		daemon("counting-backend-udp", this::readUdp);
		daemon("counting-backend-tcp", this::acceptTcp);
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	int port() {
		return port;
	}

	/** Everything received, one entry per message: its full text. */
	List<String> received() {
		return List.copyOf(received);
	}

	/** First lines of the messages received that carry this Call-ID. */
	List<String> relayed(String callId) {
		return received.stream().filter(m -> m.contains(callId)).map(CountingBackend::firstLine).toList();
	}

	private void readUdp() {
		byte[] buffer = new byte[65535];
		while (!udp.isClosed()) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				udp.receive(packet);
				received.add(new String(buffer, 0, packet.getLength(), StandardCharsets.ISO_8859_1));
			}
			catch (IOException closed) {
				return;
			}
		}
	}

	private void acceptTcp() {
		while (!tcp.isClosed()) {
			try (Socket s = tcp.accept(); InputStream in = s.getInputStream()) {
				s.setSoTimeout(500);
				byte[] buffer = new byte[65535];
				int n = in.read(buffer);
				received.add(n > 0 ? new String(buffer, 0, n, StandardCharsets.ISO_8859_1) : "");
			}
			catch (IOException closed) {
				if (tcp.isClosed()) {
					return;
				}
			}
		}
	}

	private static String firstLine(String message) {
		int end = message.indexOf('\r');
		return end < 0 ? message : message.substring(0, end);
	}

	@Override
	public void close() {
		udp.close();
		try {
			tcp.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
