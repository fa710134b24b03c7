package com.telpro.contract;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code -----BEGIN <type>-----} … {@code -----END <type>-----} block of a PEM text,
 * decoded. Text between blocks (comments such as {@code subject=…} lines) is ignored, as
 * OpenSSL does.
 */
public record PemBlock(String type, byte[] der) {

	private static final Pattern BLOCK = Pattern
		.compile("-----BEGIN ([A-Z0-9 ]{1,40})-----[ \\t]*\\r?\\n([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

	private static final Pattern ANY_MARKER = Pattern.compile("-----(BEGIN|END) ");

	/**
	 * Every block of {@code text}, in order.
	 * @throws IllegalArgumentException when the text holds no block, a block is cut or
	 * has headers (encrypted legacy keys), or its body is not base64; the message never
	 * quotes the input
	 */
	public static List<PemBlock> parseAll(String text) {
		if (text == null || text.isBlank()) {
			throw new IllegalArgumentException("is empty");
		}
		List<PemBlock> blocks = new ArrayList<>();
		Matcher matcher = BLOCK.matcher(text);
		int markersInBlocks = 0;
		while (matcher.find()) {
			byte[] der;
			try {
				der = Base64.getMimeDecoder().decode(matcher.group(2).replaceAll("\\s", ""));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("PEM block " + (blocks.size() + 1) + " is not valid base64");
			}
			if (der.length == 0) {
				throw new IllegalArgumentException("PEM block " + (blocks.size() + 1) + " is empty");
			}
			blocks.add(new PemBlock(matcher.group(1), der));
			markersInBlocks += 2;
		}
		if (blocks.isEmpty()) {
			throw new IllegalArgumentException("is not PEM: no -----BEGIN …----- block found");
		}
		long markers = ANY_MARKER.matcher(text).results().count();
		if (markers != markersInBlocks) {
			throw new IllegalArgumentException("holds a PEM block that is cut, unmatched or has headers");
		}
		return blocks;
	}

}
