package com.telpro.control.trunk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PortableRegexTests {

	@ParameterizedTest
	@ValueSource(strings = { ".*\\.twilio\\.com$", "^sip\\.example\\.com$", "^(a\\.example|b\\.example)$",
			"^(?:sip|pstn)[0-9]{1,3}\\.carrier\\.net$", "^Asterisk PBX [0-9.]+", "(?=.*foo)bar", "(?!x).+?",
			"[^\\]\\[a-z_-]+", "\\d\\w\\s\\b\\B\\x41\\u00e9", "a{2,}b{3}c{1,4}?", "^$", "\\/\\-\\:\\@" })
	void portablePatternsPass(String regex) {
		assertThat(PortableRegex.problem(regex)).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "(?<=sip\\.)example$|lookbehind", "(?<!x)y|lookbehind", "(?<name>x)|named groups",
					"(?>x+)|atomic", "a*+|possessive", "a++|possessive", "a{2}+|possessive", "(?i)abc|inline flags",
					"a(?s:.)|inline flags", "\\Aabc|\\A", "abc\\z|\\A", "abc\\Z|\\A", "\\Qa.b\\E|\\Q", "\\h+|\\h",
					"\\R|\\R", "\\p{L}|\\p{..}", "\\P{Lu}|\\p{..}", "[[:alpha:]]|POSIX", "[a-z&&[^aeiou]]|intersection",
					"[a-z&&b]|intersection", "(a)\\1|back-references", "\\0101|octal", "\\x{41}|\\x{",
					"[\\b]|not a valid regular expression", "[]a]|']' first", "\\v|\\v", "\\e|\\e", "\\cA|\\c",
					"a{2}{3}|cannot follow", "\uD83D\uDE00|Basic Multilingual", "(abc|not a valid regular expression",
					"*a|not a valid regular expression" })
	void nonPortablePatternsAreRefusedWithTheReason(String regex, String reason) {
		assertThat(PortableRegex.problem(regex)).hasValueSatisfying(problem -> assertThat(problem).contains(reason));
	}

	@ParameterizedTest
	@CsvSource(delimiterString = " => ",
			value = { "(a+)+$ => nested quantifiers", "^(a+)+$ => nested quantifiers", "(.*)* => can match nothing",
					"(.+)+x => nested quantifiers", "^(\\w+\\s?)*$ => nested quantifiers",
					"^(a+b?)+$ => nested quantifiers", "(?:[a-z]+)*@ => nested quantifiers", "(a|a)* => alternatives",
					"(a|aa)+b => alternatives", "^(\\w|\\d)*$ => alternatives", "(a|[a-c])+$ => alternatives",
					"(x?)*y => can match nothing", "(a*)*b => can match nothing",
					"^(sip|(a+)+)\\.example$ => nested quantifiers" })
	void patternsThatBacktrackCatastrophicallyAreRefusedWithTheReason(String regex, String reason) {
		assertThat(PortableRegex.problem(regex))
			.hasValueSatisfying(problem -> assertThat(problem).contains("backtrack catastrophically").contains(reason));
	}

	@ParameterizedTest
	@ValueSource(strings = { "^([a-z0-9-]+\\.)*example\\.com$", "^(\\d{1,3}\\.){3}\\d{1,3}$", "^(foo|bar)+$",
			"^(?:sip|pstn)[0-9]{1,3}\\.carrier\\.net$", "^([A-Za-z]+/[0-9.]+ ?)+$", "(ab|ba)*", "^x(a|b)*y$" })
	void repetitionsThatCannotOverlapPass(String regex) {
		assertThat(PortableRegex.problem(regex)).isEmpty();
	}

}
