package com.telpro.control.trunk;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in its normalised form: host bits cleared, a single address
 * written as {@code /32} or {@code /128}. Parsing never resolves names: only literal
 * addresses are accepted.
 */
public record Cidr(InetAddress network, int prefix) {

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

	private static final Pattern PREFIX_LENGTH = Pattern.compile("\\d{1,3}");

	/**
	 * @throws IllegalArgumentException with an operator-readable reason when the text is
	 * not an address or network
	 */
	public static Cidr parse(String text) {
		if (text == null || text.isBlank()) {
			throw new IllegalArgumentException("is empty");
		}
		String value = text.strip();
		int slash = value.indexOf('/');
		String address = slash < 0 ? value : value.substring(0, slash);
		boolean v4 = IPV4.matcher(address).matches();
		if (!v4 && !IPV6.matcher(address).matches()) {
			throw new IllegalArgumentException("'" + value + "' is not an IPv4 or IPv6 address or CIDR");
		}
		InetAddress parsed;
		try {
			parsed = InetAddress.getByName(address);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("'" + value + "' is not a valid address");
		}
		if (v4 != (parsed instanceof Inet4Address)) {
			// "::ffff:1.2.3.4" is turned into IPv4 by the JDK; keep the families honest.
			throw new IllegalArgumentException("'" + value + "' mixes IPv4 and IPv6 notation");
		}
		int bits = parsed.getAddress().length * 8;
		int prefix = bits;
		if (slash >= 0) {
			String length = value.substring(slash + 1);
			if (!PREFIX_LENGTH.matcher(length).matches()) {
				throw new IllegalArgumentException("'" + value + "' has an invalid prefix length");
			}
			prefix = Integer.parseInt(length);
			if (prefix > bits) {
				throw new IllegalArgumentException("'" + value + "' has a prefix longer than " + bits);
			}
		}
		return new Cidr(mask(parsed, prefix), prefix);
	}

	public boolean isIpv4() {
		return network instanceof Inet4Address;
	}

	/** First address of the network as an unsigned integer. */
	public BigInteger low() {
		return new BigInteger(1, network.getAddress());
	}

	/** Last address of the network as an unsigned integer. */
	public BigInteger high() {
		int hostBits = network.getAddress().length * 8 - prefix;
		return low().or(BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE));
	}

	/** {@code 54.172.60.0/23}, {@code 2001:db8::/32}: IPv6 in its RFC 5952 text form. */
	@Override
	public String toString() {
		return (isIpv4() ? network.getHostAddress() : ipv6Text(network.getAddress())) + "/" + prefix;
	}

	/**
	 * Lowercase hex groups without leading zeros, the longest run (2+) of zero groups as
	 * "::".
	 */
	private static String ipv6Text(byte[] bytes) {
		int[] groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
		}
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < 8; i++) {
			int length = 0;
			while (i + length < 8 && groups[i + length] == 0) {
				length++;
			}
			if (length > bestLength) {
				bestStart = i;
				bestLength = length;
			}
			i += length;
		}
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				text.append("::");
				i += bestLength - 1;
				continue;
			}
			if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
				text.append(':');
			}
			text.append(Integer.toHexString(groups[i]));
		}
		return text.toString();
	}

	private static InetAddress mask(InetAddress address, int prefix) {
		byte[] bytes = address.getAddress();
		for (int i = 0; i < bytes.length; i++) {
			int keep = Math.max(0, Math.min(8, prefix - i * 8));
			bytes[i] &= (byte) (0xFF << (8 - keep));
		}
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
