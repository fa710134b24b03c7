package com.telpro.control.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link EmbeddedServerException} into Spring Boot's start failure report
 * without a stack trace.
 */
class EmbeddedServerFailureAnalyzer extends AbstractFailureAnalyzer<EmbeddedServerException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedServerException cause) {
		return new FailureAnalysis(cause.getMessage(), null, cause);
	}

}
