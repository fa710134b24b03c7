package com.telpro.control.secret;

import java.util.List;

/**
 * Who references a platform secret. The trunk feature answers (a trunk names its CA); the
 * secrets feature asks before it deletes one and when it lists them, without depending on
 * trunks.
 */
public interface SecretReferences {

	/** The names of the trunks that reference secret {@code secretId}, sorted. */
	List<String> trunksUsing(long secretId);

}
