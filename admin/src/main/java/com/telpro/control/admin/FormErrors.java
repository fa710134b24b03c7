package com.telpro.control.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.telpro.control.config.FieldProblem;
import com.telpro.control.config.ProblemException;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;
import org.springframework.validation.BindingResult;

/**
 * The one way an admin form shows a service's refusal, the same problems the API returns:
 * each beside the form's field of that name ({@code allowed_ips[2]} beside
 * {@code allowed_ips}, or {@code allowedIps} on a bean-backed form), in the form's words
 * ({@link FormLabels}); a problem of the request as a whole, of a hidden field such as
 * {@code version}, or of a field the form does not have, above the form.
 */
@Component
class FormErrors {

	private static final String CODE = "invalid";

	private final MessageSource messages;

	FormErrors(MessageSource messages) {
		this.messages = messages;
	}

	void reject(ProblemException problem, BindingResult result, Locale locale) {
		if (problem.problems().isEmpty()) {
			result.reject(CODE, humanize(problem.getMessage(), locale));
			return;
		}
		for (FieldProblem each : problem.problems()) {
			String field = formField(each.field(), result);
			String message = humanize(each.message(), locale);
			if (field == null) {
				result.reject(CODE, message);
			}
			else if (!result.hasFieldErrors(field)) {
				result.rejectValue(field, CODE, message);
			}
		}
	}

	/**
	 * The same refusal on a page without a form object (a post that redirects): one line
	 * for the flash, a field's problem led by the field's label where messages.properties
	 * has one ({@code problem.field.<name>}; a message that names its field has none).
	 */
	String flash(ProblemException problem, Locale locale) {
		if (problem.problems().isEmpty()) {
			return humanize(problem.getMessage(), locale);
		}
		List<String> lines = new ArrayList<>();
		for (FieldProblem each : problem.problems()) {
			String message = humanize(each.message(), locale);
			String label = each.field() == null ? null : label(each.field(), locale);
			lines.add(label == null ? message
					: messages.getMessage("problem.field", new Object[] { label, message }, locale));
		}
		return String.join("; ", lines);
	}

	private String label(String jsonPath, Locale locale) {
		return messages.getMessage("problem.field." + jsonPath.replaceFirst("[\\[.].*$", ""), null, null, locale);
	}

	String humanize(String message, Locale locale) {
		return FormLabels.humanize(message, messages, locale);
	}

	/** The form's field a problem names, or null when the form shows no such field. */
	private static String formField(String jsonPath, BindingResult result) {
		if (jsonPath == null) {
			return null;
		}
		String json = jsonPath.replaceFirst("[\\[.].*$", "");
		if ("version".equals(json)) {
			return null;
		}
		String java = camelCase(json);
		if (result.getTarget() instanceof Map<?, ?> map) {
			return map.containsKey(json) ? json : map.containsKey(java) ? java : null;
		}
		return result.getFieldType(java) != null ? java : null;
	}

	private static String camelCase(String snake) {
		StringBuilder out = new StringBuilder(snake.length());
		boolean upper = false;
		for (char c : snake.toCharArray()) {
			if (c == '_') {
				upper = true;
			}
			else {
				out.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return out.toString();
	}

}
