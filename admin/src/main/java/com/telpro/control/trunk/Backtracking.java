package com.telpro.control.trunk;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Finds the shapes of pattern that make a backtracking engine (Java's, and Duktape's in
 * Kamailio) take exponential time on a crafted header: a repeated part that can itself
 * repeat over the characters it starts with ({@code (a+)+$}, {@code (.*)*},
 * {@code (\w+\s?)*}), a repeated alternation whose alternatives match the same text
 * ({@code (a|a)*}, {@code (a|aa)+}, {@code (\w|\d)*}), and a repeated part that can match
 * nothing. Patterns whose repetitions are separated by a character the repeated part
 * cannot match ({@code ([a-z0-9-]+\.)*example\.com$}, {@code (\d{1,3}\.){3}}) are linear
 * and pass. A conservative check on the pattern's structure, run after
 * {@link PortableRegex} accepted its syntax; character sets are compared over ASCII, with
 * everything beyond ASCII as one shared class.
 */
final class Backtracking {

	private Backtracking() {
	}

	/** The reason the (portable, compiling) pattern is refused, or empty. */
	static Optional<String> problem(String regex) {
		Node root = new Parser(regex).parse();
		List<String> found = new ArrayList<>();
		root.check(found);
		return found.stream().findFirst();
	}

	// ------------------------------------------------------------------ character sets

	/** ASCII characters as bits, and one flag for "some character beyond ASCII". */
	private record Chars(BitSet ascii, boolean beyond) {

		static Chars none() {
			return new Chars(new BitSet(128), false);
		}

		static Chars of(char c) {
			Chars s = none();
			return s.add(c, c);
		}

		static Chars any() {
			BitSet all = new BitSet(128);
			all.set(0, 128);
			return new Chars(all, true);
		}

		Chars add(int from, int to) {
			BitSet bits = (BitSet) ascii.clone();
			bits.set(Math.min(from, 128), Math.min(to, 127) + 1);
			return new Chars(bits, beyond || to > 127);
		}

		Chars union(Chars other) {
			BitSet bits = (BitSet) ascii.clone();
			bits.or(other.ascii);
			return new Chars(bits, beyond || other.beyond);
		}

		Chars complement() {
			BitSet bits = (BitSet) ascii.clone();
			bits.flip(0, 128);
			return new Chars(bits, true);
		}

		boolean overlaps(Chars other) {
			return ascii.intersects(other.ascii) || (beyond && other.beyond);
		}

		boolean isEmpty() {
			return ascii.isEmpty() && !beyond;
		}

	}

	// ------------------------------------------------------------------ pattern tree

	private abstract static class Node {

		/** Characters a match can start with. */
		abstract Chars first();

		/** Every character a match can contain. */
		abstract Chars all();

		abstract boolean nullable();

		/** Repeating quantified parts a match can end with. */
		abstract List<Quantified> tails();

		/**
		 * The characters of each position when this always matches one fixed sequence;
		 * else null.
		 */
		List<Chars> fixed() {
			return null;
		}

		/** The literal text when this matches exactly one string; else null. */
		String literal() {
			return null;
		}

		void check(List<String> found) {
		}

	}

	/** One character out of a set: a literal, a class, {@code .}, an escape. */
	private static final class Single extends Node {

		private final Chars chars;

		private final Character literal;

		Single(Chars chars, Character literal) {
			this.chars = chars;
			this.literal = literal;
		}

		Chars first() {
			return chars;
		}

		Chars all() {
			return chars;
		}

		boolean nullable() {
			return false;
		}

		List<Quantified> tails() {
			return List.of();
		}

		@Override
		List<Chars> fixed() {
			return List.of(chars);
		}

		@Override
		String literal() {
			return literal == null ? null : literal.toString();
		}

	}

	/** Anchors, word boundaries and lookaheads: they consume nothing. */
	private static final class Empty extends Node {

		private final Node inside;

		Empty(Node inside) {
			this.inside = inside;
		}

		Chars first() {
			return Chars.none();
		}

		Chars all() {
			return Chars.none();
		}

		boolean nullable() {
			return true;
		}

		List<Quantified> tails() {
			return List.of();
		}

		@Override
		List<Chars> fixed() {
			return List.of();
		}

		@Override
		String literal() {
			return "";
		}

		@Override
		void check(List<String> found) {
			if (inside != null) {
				inside.check(found);
			}
		}

	}

	private static final class Sequence extends Node {

		private final List<Node> items;

		Sequence(List<Node> items) {
			this.items = items;
		}

		Chars first() {
			Chars s = Chars.none();
			for (Node n : items) {
				s = s.union(n.first());
				if (!n.nullable()) {
					break;
				}
			}
			return s;
		}

		Chars all() {
			return items.stream().map(Node::all).reduce(Chars.none(), Chars::union);
		}

		boolean nullable() {
			return items.stream().allMatch(Node::nullable);
		}

		List<Quantified> tails() {
			List<Quantified> out = new ArrayList<>();
			for (int k = items.size() - 1; k >= 0; k--) {
				out.addAll(items.get(k).tails());
				if (!items.get(k).nullable()) {
					break;
				}
			}
			return out;
		}

		@Override
		List<Chars> fixed() {
			List<Chars> out = new ArrayList<>();
			for (Node n : items) {
				List<Chars> part = n.fixed();
				if (part == null) {
					return null;
				}
				out.addAll(part);
			}
			return out;
		}

		@Override
		String literal() {
			StringBuilder out = new StringBuilder();
			for (Node n : items) {
				String part = n.literal();
				if (part == null) {
					return null;
				}
				out.append(part);
			}
			return out.toString();
		}

		@Override
		void check(List<String> found) {
			items.forEach(n -> n.check(found));
		}

	}

	private static final class Alternation extends Node {

		private final List<Node> branches;

		Alternation(List<Node> branches) {
			this.branches = branches;
		}

		Chars first() {
			return branches.stream().map(Node::first).reduce(Chars.none(), Chars::union);
		}

		Chars all() {
			return branches.stream().map(Node::all).reduce(Chars.none(), Chars::union);
		}

		boolean nullable() {
			return branches.stream().anyMatch(Node::nullable);
		}

		List<Quantified> tails() {
			List<Quantified> out = new ArrayList<>();
			branches.forEach(b -> out.addAll(b.tails()));
			return out;
		}

		/**
		 * Whether two alternatives can match the same text, so a repetition can split it
		 * two ways.
		 */
		boolean ambiguous() {
			for (int a = 0; a < branches.size(); a++) {
				for (int b = a + 1; b < branches.size(); b++) {
					if (sameText(branches.get(a), branches.get(b))) {
						return true;
					}
				}
			}
			return false;
		}

		private static boolean sameText(Node x, Node y) {
			String lx = x.literal();
			String ly = y.literal();
			if (lx != null && ly != null) {
				// two words give one text two ways under repetition exactly when they
				// commute
				return (lx + ly).equals(ly + lx);
			}
			List<Chars> fx = x.fixed();
			List<Chars> fy = y.fixed();
			if (fx == null || fy == null || fx.size() != fy.size()) {
				return false;
			}
			for (int k = 0; k < fx.size(); k++) {
				if (!fx.get(k).overlaps(fy.get(k))) {
					return false;
				}
			}
			return true;
		}

		@Override
		void check(List<String> found) {
			branches.forEach(n -> n.check(found));
		}

	}

	private static final class Group extends Node {

		private final Node inside;

		Group(Node inside) {
			this.inside = inside;
		}

		Chars first() {
			return inside.first();
		}

		Chars all() {
			return inside.all();
		}

		boolean nullable() {
			return inside.nullable();
		}

		List<Quantified> tails() {
			return inside.tails();
		}

		@Override
		List<Chars> fixed() {
			return inside.fixed();
		}

		@Override
		String literal() {
			return inside.literal();
		}

		@Override
		void check(List<String> found) {
			inside.check(found);
		}

	}

	private static final class Quantified extends Node {

		private final Node body;

		private final int min;

		/** -1: unbounded. */
		private final int max;

		private final int position;

		private final String text;

		Quantified(Node body, int min, int max, int position, String text) {
			this.body = body;
			this.min = min;
			this.max = max;
			this.position = position;
			this.text = text;
		}

		boolean repeats() {
			return max < 0 || max > 1;
		}

		Chars first() {
			return body.first();
		}

		Chars all() {
			return body.all();
		}

		boolean nullable() {
			return min == 0 || body.nullable();
		}

		List<Quantified> tails() {
			List<Quantified> out = new ArrayList<>();
			if (repeats()) {
				out.add(this);
			}
			out.addAll(body.tails());
			return out;
		}

		@Override
		List<Chars> fixed() {
			List<Chars> one = body.fixed();
			if (one == null || max != min) {
				return null;
			}
			List<Chars> out = new ArrayList<>();
			for (int k = 0; k < min; k++) {
				out.addAll(one);
			}
			return out;
		}

		@Override
		String literal() {
			String one = body.literal();
			return one == null || max != min ? null : one.repeat(min);
		}

		@Override
		void check(List<String> found) {
			body.check(found);
			if (!repeats()) {
				return;
			}
			String where = "the repeated part '" + text + "' at position " + (position + 1);
			if (body.nullable()) {
				found.add("can backtrack catastrophically: " + where + " can match nothing, so it repeats in "
						+ "countless ways; make its content required");
				return;
			}
			Chars starts = body.first();
			for (Quantified inner : body.tails()) {
				if (inner.all().overlaps(starts)) {
					found.add("can backtrack catastrophically: " + where + " ends in '" + inner.text
							+ "', which repeats over the characters the part starts with (nested quantifiers "
							+ "like (a+)+); a crafted header would stall the edge. Separate the repetitions by a "
							+ "character the inner part cannot match, or drop one quantifier");
					return;
				}
			}
			Node inside = body instanceof Group g ? g.inside : body;
			if (inside instanceof Alternation alt && alt.ambiguous()) {
				found.add("can backtrack catastrophically: " + where + " has alternatives that match the same "
						+ "text (like (a|a)*); make the alternatives exclusive");
			}
		}

	}

	// ------------------------------------------------------------------ parser

	/**
	 * Parses a pattern {@link PortableRegex} already accepted, so the grammar is
	 * well-formed.
	 */
	private static final class Parser {

		private static final Chars DIGITS = Chars.none().add('0', '9');

		private static final Chars WORD = Chars.none().add('a', 'z').add('A', 'Z').add('0', '9').add('_', '_');

		private static final Chars SPACE = Chars.none().add(' ', ' ').add('\t', '\r');

		private final String p;

		private int i;

		Parser(String pattern) {
			this.p = pattern;
		}

		Node parse() {
			return alternation();
		}

		private Node alternation() {
			List<Node> branches = new ArrayList<>();
			branches.add(sequence());
			while (i < p.length() && p.charAt(i) == '|') {
				i++;
				branches.add(sequence());
			}
			return branches.size() == 1 ? branches.get(0) : new Alternation(branches);
		}

		private Node sequence() {
			List<Node> items = new ArrayList<>();
			while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
				items.add(quantified());
			}
			return items.size() == 1 ? items.get(0) : new Sequence(items);
		}

		private Node quantified() {
			int start = i;
			Node atom = atom();
			if (i >= p.length()) {
				return atom;
			}
			char c = p.charAt(i);
			int min;
			int max;
			if (c == '*' || c == '+' || c == '?') {
				min = c == '+' ? 1 : 0;
				max = c == '?' ? 1 : -1;
				i++;
			}
			else if (c == '{' && p.indexOf('}', i) > i) {
				int end = p.indexOf('}', i);
				String[] bounds = p.substring(i + 1, end).split(",", -1);
				min = Integer.parseInt(bounds[0]);
				max = bounds.length == 1 ? min : bounds[1].isEmpty() ? -1 : Integer.parseInt(bounds[1]);
				i = end + 1;
			}
			else {
				return atom;
			}
			if (i < p.length() && p.charAt(i) == '?') {
				i++;
			}
			return new Quantified(atom, min, max, start, p.substring(start, i));
		}

		private Node atom() {
			char c = p.charAt(i);
			switch (c) {
				case '(' -> {
					i++;
					boolean lookahead = p.startsWith("?=", i) || p.startsWith("?!", i);
					if (p.startsWith("?", i)) {
						i += 2;
					}
					Node inside = alternation();
					i++; // ')'
					return lookahead ? new Empty(inside) : new Group(inside);
				}
				case '[' -> {
					return new Single(characterClass(), null);
				}
				case '.' -> {
					i++;
					return new Single(Chars.any(), null);
				}
				case '^', '$' -> {
					i++;
					return new Empty(null);
				}
				case '\\' -> {
					char e = p.charAt(i + 1);
					if (e == 'b' || e == 'B') {
						i += 2;
						return new Empty(null);
					}
					Chars escaped = escape();
					return new Single(escaped, singleChar(escaped));
				}
				default -> {
					i++;
					return new Single(Chars.of(c), c);
				}
			}
		}

		private static Character singleChar(Chars chars) {
			if (chars.beyond() || chars.ascii().cardinality() != 1) {
				return null;
			}
			return (char) chars.ascii().nextSetBit(0);
		}

		private Chars escape() {
			char e = p.charAt(i + 1);
			i += 2;
			switch (e) {
				case 'd' -> {
					return DIGITS;
				}
				case 'D' -> {
					return DIGITS.complement();
				}
				case 'w' -> {
					return WORD;
				}
				case 'W' -> {
					return WORD.complement();
				}
				case 's' -> {
					return SPACE;
				}
				case 'S' -> {
					return SPACE.complement();
				}
				case 't' -> {
					return Chars.of('\t');
				}
				case 'n' -> {
					return Chars.of('\n');
				}
				case 'r' -> {
					return Chars.of('\r');
				}
				case 'f' -> {
					return Chars.of('\f');
				}
				case 'x' -> {
					int v = Integer.parseInt(p.substring(i, i + 2), 16);
					i += 2;
					return Chars.none().add(v, v);
				}
				case 'u' -> {
					int v = Integer.parseInt(p.substring(i, i + 4), 16);
					i += 4;
					return Chars.none().add(v, v);
				}
				default -> {
					return Chars.of(e);
				}
			}
		}

		private Chars characterClass() {
			i++;
			boolean negated = i < p.length() && p.charAt(i) == '^';
			if (negated) {
				i++;
			}
			Chars s = Chars.none();
			while (p.charAt(i) != ']') {
				int from;
				Chars single;
				if (p.charAt(i) == '\\') {
					single = escape();
				}
				else {
					single = Chars.of(p.charAt(i));
					i++;
				}
				Character low = singleChar(single);
				if (low != null && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
					i++;
					Chars high = p.charAt(i) == '\\' ? escape() : Chars.of(p.charAt(i++));
					Character top = singleChar(high);
					from = low;
					s = s.add(from, top == null ? 0x10ffff : top);
				}
				else {
					s = s.union(single);
				}
			}
			i++;
			return negated ? s.complement() : s;
		}

	}

}
