package com.telpro.control.kamailio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.RawSip.Transport;

/**
 * Reads {@code src/test/resources/sip-corpus/corpus.sip}: the messages with the answer
 * expected per transport (see the file's header for the format).
 */
final class SipCorpus {

	static final Path FILE = KamailioProcess.PROJECT.resolve("admin/src/test/resources/sip-corpus/corpus.sip");

	/**
	 * Expected status per transport; -1 means no answer (dropped), 0 not sent on that
	 * transport.
	 */
	record Entry(String name, int udp, int tcp, boolean stranger, String template) {

		int expected(Transport transport) {
			return transport == Transport.UDP ? udp : tcp;
		}

		/**
		 * The bytes to send to an edge on the given port (RawSip fills the per-send
		 * placeholders).
		 */
		byte[] message(int port) {
			String text = expand(template.replace("${port}", Integer.toString(port)));
			int headersEnd = text.indexOf("\r\n\r\n");
			if (text.contains("${cl}")) {
				int bodyLength = text.substring(headersEnd + 4).getBytes(StandardCharsets.UTF_8).length;
				text = text.replace("${cl}", Integer.toString(bodyLength));
			}
			return text.getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return name;
		}

	}

	private SipCorpus() {
	}

	static List<Entry> entries() {
		List<String> lines;
		try {
			lines = Files.readAllLines(FILE, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<Entry> entries = new ArrayList<>();
		String header = null;
		List<String> body = new ArrayList<>();
		for (String line : lines) {
			if (line.startsWith("=== ")) {
				if (header != null) {
					entries.add(entry(header, body));
				}
				header = line.substring(4);
				body = new ArrayList<>();
			}
			else if (header != null) {
				body.add(line);
			}
		}
		if (header != null) {
			entries.add(entry(header, body));
		}
		return entries;
	}

	private static Entry entry(String header, List<String> lines) {
		String[] parts = header.split("\\|");
		if (parts.length < 2) {
			throw new IllegalArgumentException("corpus entry without an expected answer: " + header);
		}
		String name = parts[0].trim();
		String expect = parts[1].trim();
		String options = parts.length > 2 ? parts[2].trim() : "";
		int udp;
		int tcp;
		if (expect.contains("udp=")) {
			udp = code(valueOf(expect, "udp="));
			tcp = code(valueOf(expect, "tcp="));
		}
		else {
			udp = code(expect);
			tcp = udp;
		}
		String text = String.join("\r\n", lines);
		while (text.endsWith("\r\n")) {
			text = text.substring(0, text.length() - 2);
		}
		if (!options.contains("raw")) {
			text += "\r\n\r\n";
		}
		return new Entry(name, udp, tcp, options.contains("from=stranger"), text);
	}

	private static String valueOf(String expect, String key) {
		String rest = expect.substring(expect.indexOf(key) + key.length());
		int space = rest.indexOf(' ');
		return space < 0 ? rest : rest.substring(0, space);
	}

	private static int code(String value) {
		return switch (value.toLowerCase(Locale.ROOT)) {
			case "drop" -> -1;
			case "skip" -> 0;
			default -> Integer.parseInt(value);
		};
	}

	/** ${repeat:N:text} (text may hold other escapes), then the raw-byte escapes. */
	static String expand(String text) {
		StringBuilder out = new StringBuilder();
		int i = 0;
		while (i < text.length()) {
			int at = text.indexOf("${repeat:", i);
			if (at < 0) {
				out.append(text, i, text.length());
				break;
			}
			out.append(text, i, at);
			int colon = text.indexOf(':', at + 9);
			int count = Integer.parseInt(text.substring(at + 9, colon));
			int depth = 1;
			int j = colon + 1;
			while (depth > 0) {
				char c = text.charAt(j);
				if (c == '{') {
					depth++;
				}
				else if (c == '}') {
					depth--;
				}
				j++;
			}
			out.append(text.substring(colon + 1, j - 1).repeat(count));
			i = j;
		}
		return out.toString()
			.replace("${NUL}", "\0")
			.replace("${LF}", "\n")
			.replace("${CR}", "\r")
			.replace("${TAB}", "\t");
	}

}
