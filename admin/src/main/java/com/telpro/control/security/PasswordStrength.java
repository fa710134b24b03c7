package com.telpro.control.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.nulabinc.zxcvbn.Feedback;
import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;

/**
 * How guessable a new password is, by zxcvbn (Dropbox's estimator, Java port
 * {@code com.nulab-inc:zxcvbn}): common passwords, dictionary words, keyboard walks,
 * repeats, sequences and dates are estimated by the guesses an attacker needs. Score 2
 * (at least 10^6 guesses) is the minimum for admin users and SIP accounts: it refuses
 * {@code password1}, {@code aaaaaaaaaa} and {@code 1234567890} while a passphrase or a
 * random string passes. Online guessing beyond that is the login throttle's and the
 * edge's ban's job.
 */
public final class PasswordStrength {

	/** zxcvbn score 0-4; below this a password is refused. */
	public static final int MIN_SCORE = 2;

	/** zxcvbn's work grows with the length; what lies beyond this only adds strength. */
	private static final int MEASURED_CHARACTERS = 100;

	private static final Zxcvbn ZXCVBN = new Zxcvbn();

	private PasswordStrength() {
	}

	/**
	 * Why the password is too easy to guess, as a field message, or empty when it is
	 * strong enough. {@code context} (user name, domain) counts as known to an attacker.
	 */
	public static Optional<String> problem(String password, String... context) {
		if (password == null || password.isEmpty()) {
			return Optional.empty(); // emptiness is the length rule's message
		}
		List<String> known = new ArrayList<>();
		for (String c : context) {
			if (c != null && !c.isBlank()) {
				known.add(c);
			}
		}
		String measured = password.length() > MEASURED_CHARACTERS ? password.substring(0, MEASURED_CHARACTERS)
				: password;
		Strength strength = ZXCVBN.measure(measured, known);
		if (strength.getScore() >= MIN_SCORE) {
			return Optional.empty();
		}
		return Optional.of(message(strength.getFeedback()));
	}

	private static String message(Feedback feedback) {
		StringBuilder text = new StringBuilder("is too easy to guess");
		String warning = feedback.getWarning();
		if (warning != null && !warning.isBlank()) {
			text.append(": ").append(lowerFirst(stripDot(warning)));
		}
		List<String> suggestions = feedback.getSuggestions().stream().filter(Objects::nonNull).toList();
		text.append(". ")
			.append(suggestions.isEmpty() ? "Use a longer passphrase of uncommon words"
					: stripDot(String.join(" ", suggestions)));
		return text.append('.').toString();
	}

	private static String stripDot(String s) {
		String t = s.strip();
		return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
	}

	private static String lowerFirst(String s) {
		return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
	}

}
