package com.telpro.control.secret;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * RFC 9457 problem details for {@code /api/secrets}, with field errors under {@code errors}. No
 * message here ever quotes the request body: it may hold a private key.
 */
@RestControllerAdvice(assignableTypes = SecretApiController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecretApiAdvice {

	@ExceptionHandler(SecretRejectedException.class)
	ProblemDetail rejected(SecretRejectedException ex) {
		return invalid(ex.problems());
	}

	@ExceptionHandler(MethodArgumentNotValidException.class)
	ProblemDetail invalidArguments(MethodArgumentNotValidException ex) {
		return invalid(ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map(e -> new FieldProblem(e.getField(), e.getDefaultMessage()))
			.toList());
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ProblemDetail unreadable(HttpMessageNotReadableException ex) {
		if (ex.getCause() instanceof InvalidFormatException format && format.getTargetType() == SecretPurpose.class) {
			return invalid(List.of(new FieldProblem("purpose", "must be one of CA_CERT, TLS_SERVER_CERT, TLS_SERVER_KEY")));
		}
		if (ex.getCause() instanceof UnrecognizedPropertyException unknown) {
			return invalid(List.of(new FieldProblem(unknown.getPropertyName(), "is not a known field")));
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The request body is not valid JSON");
		problem.setTitle("Malformed request");
		return problem;
	}

	@ExceptionHandler(SecretInUseException.class)
	ProblemDetail inUse(SecretInUseException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"The secret is referenced by trunk(s) " + String.join(", ", ex.trunkNames())
						+ "; point them at another CA first");
		problem.setTitle("Secret in use");
		problem.setProperty("trunks", ex.trunkNames());
		return problem;
	}

	@ExceptionHandler(SecretNotFoundException.class)
	ProblemDetail notFound(SecretNotFoundException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle("Not found");
		return problem;
	}

	private static ProblemDetail invalid(List<FieldProblem> problems) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The secret was not stored");
		problem.setTitle("Invalid secret");
		problem.setProperty("errors",
				problems.stream().map(p -> Map.of("field", p.field(), "message", p.message())).toList());
		return problem;
	}

}
