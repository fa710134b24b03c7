package com.telpro.control.secret;

import java.util.List;
import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The two problem answers particular to {@code /api/secrets}; every other error goes through the
 * shared {@code config/ApiExceptionHandler}. No message here quotes the upload: it may hold a key.
 */
@RestControllerAdvice(assignableTypes = SecretApiController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecretApiAdvice {

	/** 400 with the field errors under {@code errors}. */
	@ExceptionHandler(SecretRejectedException.class)
	ProblemDetail rejected(SecretRejectedException ex) {
		List<FieldProblem> problems = ex.problems();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				problems.size() == 1 ? "1 field is invalid." : problems.size() + " fields are invalid.");
		problem.setTitle("Invalid input");
		problem.setProperty("errors",
				problems.stream().map(p -> Map.of("field", p.field(), "message", p.message())).toList());
		return problem;
	}

	/** 409 naming the trunks, also listed under {@code trunks}. */
	@ExceptionHandler(SecretInUseException.class)
	ProblemDetail inUse(SecretInUseException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"The secret is referenced by trunk(s) " + String.join(", ", ex.trunkNames())
						+ "; point them at another CA first.");
		problem.setTitle("Conflict");
		problem.setProperty("trunks", ex.trunkNames());
		return problem;
	}

}
