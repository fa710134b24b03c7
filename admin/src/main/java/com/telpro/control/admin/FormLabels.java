package com.telpro.control.admin;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.context.MessageSource;

/**
 * The service's validation messages name the API's wire fields
 * ({@code identify_by contains
 * source_ip}); beside a form field they should name what the operator sees on the form
 * ("Identify by" includes "Source IP"). Only the words of the trunk contract are
 * translated; everything else of the message stays as the service wrote it.
 */
final class FormLabels {

	/** Wire words → message keys of the form's labels. */
	private static final Map<String, String> WIRE = new LinkedHashMap<>();

	static {
		WIRE.put("identify_by", "field.identifyBy");
		WIRE.put("auth_method", "field.authMethod");
		WIRE.put("require_tls", "field.requireTls");
		WIRE.put("verify_peer", "field.verifyPeer");
		WIRE.put("require_client_cert", "field.requireClientCert");
		WIRE.put("source_ip", "field.identifyBy.source_ip");
		WIRE.put("from_domain", "field.identifyBy.from_domain");
		WIRE.put("user_agent", "field.identifyBy.user_agent");
	}

	private static final Pattern WORD = Pattern.compile("\\b(" + String.join("|", WIRE.keySet()) + ")\\b");

	private FormLabels() {
	}

	static String humanize(String message, MessageSource messages, Locale locale) {
		if (message == null) {
			return null;
		}
		String text = message.replace("identify_by contains", "identify_by includes");
		Matcher words = WORD.matcher(text);
		StringBuilder out = new StringBuilder();
		while (words.find()) {
			String label = messages.getMessage(WIRE.get(words.group(1)), null, words.group(1), locale);
			words.appendReplacement(out, Matcher.quoteReplacement("\u201c" + label + "\u201d"));
		}
		words.appendTail(out);
		return out.toString();
	}

}
