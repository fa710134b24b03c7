package com.telpro.control.config;

/**
 * An embedded server cannot start for a reason the operator fixes (a port taken by
 * another program, the data folder used by another running service). Its message is the
 * whole story in one line: what is wrong and which setting changes it;
 * {@link EmbeddedServerFailureAnalyzer} prints just that.
 */
public class EmbeddedServerException extends RuntimeException {

	public EmbeddedServerException(String message) {
		super(message, null, false, false);
	}

}
