package com.telpro.control.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A refusal every feature reports the same way: one status, a message safe to show (never
 * a secret), and the fields at fault. {@code ApiExceptionHandler} turns it into RFC 9457
 * problem details with {@code errors: [{field, message}]}; the admin pages show the same
 * messages beside their fields.
 */
public class ProblemException extends RuntimeException {

	private final HttpStatus status;

	private final String title;

	private final List<FieldProblem> problems;

	private final Map<String, Object> properties = new LinkedHashMap<>();

	protected ProblemException(HttpStatus status, String title, String message, List<FieldProblem> problems) {
		super(message, null, false, false);
		this.status = status;
		this.title = title;
		this.problems = List.copyOf(problems);
	}

	public HttpStatus status() {
		return status;
	}

	/**
	 * The fields at fault, with JSON (snake_case) names; empty when the request as a
	 * whole is.
	 */
	public List<FieldProblem> problems() {
		return problems;
	}

	/**
	 * Adds a member to the problem details beside {@code errors} (e.g. the trunks using a
	 * secret).
	 */
	protected final void property(String name, Object value) {
		properties.put(name, value);
	}

	public ProblemDetail toProblemDetail() {
		ProblemDetail detail = ProblemDetail.forStatusAndDetail(status, getMessage());
		detail.setTitle(title);
		if (!problems.isEmpty()) {
			detail.setProperty("errors", problems.stream().map(FieldProblem::asMap).toList());
		}
		properties.forEach(detail::setProperty);
		return detail;
	}

}
