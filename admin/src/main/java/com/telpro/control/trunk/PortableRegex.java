package com.telpro.control.trunk;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks that a regular expression means the same thing in Java (where it is validated)
 * and in the ECMAScript 5 engine Kamailio runs (Duktape, app_jsdt), where it is enforced.
 * Only the common subset is accepted: literals, {@code .}, anchors {@code ^ $}, groups
 * {@code ( )} and {@code (?: )}, lookahead {@code (?= )} {@code (?! )}, alternation,
 * greedy and lazy quantifiers, character classes with ranges, the escapes
 * {@code \d \D \w \W \s \S \b \B \t \n \r \f}, <code>\xhh</code>, <code>&#92;uhhhh</code>
 * and escaped punctuation. Everything else (lookbehind, named or atomic groups,
 * possessive quantifiers, inline flags, back-references, {@code \A \Z \z \Q \E \h \R
 * \p{..}}, POSIX classes, nested classes and {@code &&}) is refused with the reason, and
 * so is a pattern that can backtrack catastrophically ({@link Backtracking}).
 */
public final class PortableRegex {

	public static final String SUBSET_NOTE = "patterns must use the subset Java and Kamailio's JavaScript "
			+ "(ECMAScript 5) read alike";

	private static final String CLASS_ESCAPES = "dDwWsStnrf";

	private static final String ESCAPES = CLASS_ESCAPES + "bB";

	private PortableRegex() {
	}

	/**
	 * Returns the reason the pattern is refused, or empty when it is portable and
	 * compiles.
	 */
	public static Optional<String> problem(String regex) {
		try {
			Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			return Optional
				.of("is not a valid regular expression: " + ex.getDescription() + " near index " + ex.getIndex());
		}
		try {
			new Scanner(regex).scan();
		}
		catch (NotPortable ex) {
			return Optional.of(ex.getMessage() + " (at position " + (ex.position + 1) + "); " + SUBSET_NOTE);
		}
		return Backtracking.problem(regex);
	}

	private static final class NotPortable extends RuntimeException {

		private final int position;

		NotPortable(String message, int position) {
			super(message, null, false, false);
			this.position = position;
		}

	}

	/**
	 * A single pass over a pattern Java already compiled, so the grammar is known
	 * well-formed.
	 */
	private static final class Scanner {

		private final String p;

		private int i;

		Scanner(String pattern) {
			this.p = pattern;
		}

		void scan() {
			// True right after a quantifier: another one there is possessive (Java) or an
			// error (JS).
			boolean afterQuantifier = false;
			while (i < p.length()) {
				char c = p.charAt(i);
				if (Character.isSurrogate(c)) {
					throw new NotPortable("characters outside the Basic Multilingual Plane are not supported", i);
				}
				switch (c) {
					case '\\' -> {
						escape(false);
						afterQuantifier = false;
					}
					case '[' -> {
						characterClass();
						afterQuantifier = false;
					}
					case '(' -> {
						group();
						afterQuantifier = false;
					}
					case '*', '+', '?', '{' -> {
						if (afterQuantifier) {
							throw new NotPortable(
									c == '+' ? "possessive quantifiers (*+, ++, ?+, {n}+) are not supported"
											: "a quantifier cannot follow another quantifier",
									i);
						}
						if (c == '{') {
							if (!boundedQuantifier()) {
								throw new NotPortable("a literal '{' must be escaped as \\{", i);
							}
						}
						else {
							i++;
						}
						if (i < p.length() && p.charAt(i) == '?') {
							i++; // lazy
						}
						afterQuantifier = true;
					}
					default -> {
						i++;
						afterQuantifier = false;
					}
				}
			}
		}

		private boolean boundedQuantifier() {
			int end = p.indexOf('}', i);
			if (end < 0 || !p.substring(i + 1, end).matches("\\d+(,\\d*)?")) {
				return false;
			}
			i = end + 1;
			return true;
		}

		private void group() {
			int start = i;
			i++;
			if (i >= p.length() || p.charAt(i) != '?') {
				return;
			}
			String rest = p.substring(i);
			if (rest.startsWith("?:") || rest.startsWith("?=") || rest.startsWith("?!")) {
				i += 2;
				return;
			}
			if (rest.startsWith("?<=") || rest.startsWith("?<!")) {
				throw new NotPortable("lookbehind (?<= ) and (?<! ) is not supported", start);
			}
			if (rest.startsWith("?<")) {
				throw new NotPortable("named groups (?<name> ) are not supported", start);
			}
			if (rest.startsWith("?>")) {
				throw new NotPortable("atomic groups (?> ) are not supported", start);
			}
			throw new NotPortable("inline flags such as (?i) are not supported", start);
		}

		private void escape(boolean inClass) {
			int start = i;
			char e = p.charAt(i + 1);
			i += 2;
			if (e == 'x') {
				if (p.startsWith("{", i)) {
					throw new NotPortable("\\x{...} is not supported; use \\xhh or \\uhhhh", start);
				}
				i += 2;
				return;
			}
			if (e == 'u') {
				i += 4;
				return;
			}
			if (e == 'b' && inClass) {
				throw new NotPortable("\\b inside a character class is not supported", start);
			}
			if ((inClass ? CLASS_ESCAPES : ESCAPES).indexOf(e) >= 0) {
				return;
			}
			if (e >= '0' && e <= '9') {
				throw new NotPortable("back-references and octal escapes (\\" + e + ") are not supported", start);
			}
			if (Character.isLetter(e)) {
				String what = switch (e) {
					case 'A', 'Z', 'z', 'G' -> "input anchors \\A \\Z \\z \\G are not supported; use ^ and $";
					case 'Q', 'E' -> "quoting with \\Q...\\E is not supported; escape each character";
					case 'p', 'P' -> "Unicode property classes \\p{..} are not supported";
					case 'h', 'H', 'v', 'V', 'R', 'X', 'N' -> "\\" + e + " is not supported; write the characters out";
					default -> "the escape \\" + e + " is not supported";
				};
				throw new NotPortable(what, start);
			}
			if (Character.isSurrogate(e)) {
				throw new NotPortable("characters outside the Basic Multilingual Plane are not supported", start);
			}
			// Escaped punctuation means the character itself in both languages.
		}

		private void characterClass() {
			int start = i;
			i++;
			if (i < p.length() && p.charAt(i) == '^') {
				i++;
			}
			if (i < p.length() && p.charAt(i) == ']') {
				throw new NotPortable("a ']' first in a character class must be escaped as \\]", i);
			}
			while (i < p.length()) {
				char c = p.charAt(i);
				if (c == ']') {
					i++;
					return;
				}
				if (c == '\\') {
					escape(true);
				}
				else if (c == '[') {
					throw new NotPortable("nested classes and POSIX classes like [[:alpha:]] are not supported; "
							+ "escape a literal '[' as \\[", i);
				}
				else if (c == '&' && p.startsWith("&&", i)) {
					throw new NotPortable("class intersection && is not supported", i);
				}
				else if (Character.isSurrogate(c)) {
					throw new NotPortable("characters outside the Basic Multilingual Plane are not supported", i);
				}
				else {
					i++;
				}
			}
			throw new NotPortable("unterminated character class", start);
		}

	}

}
