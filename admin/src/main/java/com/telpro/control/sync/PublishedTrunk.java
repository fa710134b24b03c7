package com.telpro.control.sync;

/**
 * One trunk of a generation document as published: its canonical JSON (keys in ascending
 * order, {@code hash} included), byte for byte what the edges read, and the three values
 * the control plane looks up without parsing it (priority and name: the matching order).
 * Its fields are derived from the trunk's spec by name
 * ({@link GenerationBuilder#NEVER_PUBLISHED}, {@link GenerationBuilder#DERIVED}).
 *
 * @param caSecretId the CA certificate the trunk names (its fingerprint is published), or
 * null
 * @param json shared, never modified
 */
record PublishedTrunk(long id, String name, int priority, Long caSecretId, String hash, byte[] json) {

}
