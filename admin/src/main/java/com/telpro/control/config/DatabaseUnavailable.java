package com.telpro.control.config;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * PostgreSQL cannot be reached: the answer is 503 with Retry-After, never a 500 — the
 * request was fine, nothing was stored, and the same request will work once the database
 * is back (Hikari reconnects by itself). Recognises the failure wherever it surfaced:
 * Spring's translated exceptions, Hikari's timeout, a JDBC connection error (SQL state
 * class 08), or the rollback failure that replaces the original error when the connection
 * broke mid-transaction.
 */
final class DatabaseUnavailable {

	static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	static final String TITLE = "Database unavailable";

	static final String DETAIL = "The admin service cannot reach its database right now; nothing was read or changed. "
			+ "Try again in a few seconds. The SIP edge keeps routing calls with the trunks it last loaded.";

	/**
	 * What Hikari's proxy says when the rollback after a lost connection finds it closed.
	 */
	private static final String HIKARI_CLOSED = "Connection is closed";

	private DatabaseUnavailable() {
	}

	static boolean causedBy(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
					|| t instanceof SQLTransientConnectionException || t instanceof ConnectException) {
				return true;
			}
			if (t instanceof SQLException sql && (sql.getSQLState() != null && sql.getSQLState().startsWith("08")
					|| HIKARI_CLOSED.equals(sql.getMessage()))) {
				return true;
			}
			if (t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
				return true;
			}
		}
		return false;
	}

	static ProblemDetail problem() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, DETAIL);
		problem.setTitle(TITLE);
		return problem;
	}

	static ResponseEntity<ProblemDetail> response() {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()))
			.body(problem());
	}

}
