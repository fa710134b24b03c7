package com.telpro.control.config;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error of a REST controller into RFC 9457 problem details. Field errors are
 * listed under {@code errors} as {@code {"field": "allowed_ips[1]", "message": "..."}}
 * with the JSON (snake_case) field names; a 500 shows a generic message and a correlation
 * id that is also in the log, never the exception.
 */
@RestControllerAdvice(annotations = RestController.class)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	/**
	 * Every refusal of a feature: invalid input, not found, conflict, users and secrets
	 * alike.
	 */
	@ExceptionHandler(ProblemException.class)
	ResponseEntity<ProblemDetail> refused(ProblemException ex) {
		return ResponseEntity.status(ex.status()).body(ex.toProblemDetail());
	}

	@ExceptionHandler(OptimisticLockingFailureException.class)
	ProblemDetail concurrentChange(OptimisticLockingFailureException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"Someone else changed this at the same moment; reload it and apply your change again.");
		problem.setTitle("Conflict");
		return problem;
	}

	@ExceptionHandler({ DataAccessResourceFailureException.class, CannotCreateTransactionException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex) {
		log.warn("Database unavailable: answered 503 ({})", ex.getClass().getSimpleName());
		return DatabaseUnavailable.response();
	}

	@ExceptionHandler(Exception.class)
	ProblemDetail unexpected(Exception ex) throws Exception {
		if (ex.getClass().getName().startsWith("org.springframework.security.")) {
			throw ex; // access denied and friends: Spring Security answers those
		}
		if (DatabaseUnavailable.causedBy(ex)) {
			throw ex; // a database outage in another guise: DatabaseUnavailableFilter
						// answers 503
		}
		String correlationId = UUID.randomUUID().toString();
		log.error("Unexpected error, correlation id {}", correlationId, ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"An unexpected error occurred. Quote correlation id " + correlationId + " when reporting it.");
		problem.setTitle("Internal error");
		problem.setProperty("correlation_id", correlationId);
		return problem;
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return ResponseEntity.badRequest().body(new InvalidInputException(ex.getBindingResult()).toProblemDetail());
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof RequestBodyLimitFilter.BodyTooLargeException tooLarge) {
				return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
					.body(RequestBodyLimitFilter.problem(tooLarge.limit()));
			}
		}
		ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
		problem.setTitle("Invalid request body");
		Throwable cause = ex.getCause();
		if (cause instanceof JsonParseException parse) {
			problem.setDetail("The body is not well-formed JSON (line " + parse.getLocation().getLineNr() + ", column "
					+ parse.getLocation().getColumnNr() + ").");
		}
		else if (cause instanceof JsonMappingException mapping && JsonFieldProblems.of(mapping) != null) {
			FieldProblem field = JsonFieldProblems.of(mapping);
			problem.setDetail("Field " + field.field() + " " + field.message() + ".");
			problem.setProperty("errors", List.of(field.asMap()));
		}
		else if (cause instanceof MismatchedInputException) {
			problem.setDetail("The body must be a JSON object.");
		}
		else {
			problem.setDetail("The body is missing or is not readable JSON.");
		}
		return ResponseEntity.badRequest().body(problem);
	}

}
