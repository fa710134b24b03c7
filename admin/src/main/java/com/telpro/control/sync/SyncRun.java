package com.telpro.control.sync;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

/** One "Sync All to Redis", successful or not. */
@Entity
class SyncRun {

	static final String SUCCESS = "success";

	static final String FAILURE = "failure";

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private Instant startedAt;

	private String actor;

	private String outcome;

	private Long generation;

	private int trunks;

	private String contentHash;

	private long durationMs;

	private String error;

	protected SyncRun() {
	}

	private SyncRun(Instant startedAt, String actor, String outcome, Long generation, int trunks, String contentHash,
			long durationMs, String error) {
		this.startedAt = startedAt;
		this.actor = actor == null || actor.length() <= 100 ? actor : actor.substring(0, 100);
		this.outcome = outcome;
		this.generation = generation;
		this.trunks = trunks;
		this.contentHash = contentHash;
		this.durationMs = durationMs;
		this.error = error;
	}

	static SyncRun success(Instant startedAt, String actor, long generation, int trunks, String contentHash,
			long durationMs) {
		return new SyncRun(startedAt, actor, SUCCESS, generation, trunks, contentHash, durationMs, null);
	}

	static SyncRun failure(Instant startedAt, String actor, int trunks, long durationMs, String error) {
		String shortError = error.length() > 1000 ? error.substring(0, 1000) : error;
		return new SyncRun(startedAt, actor, FAILURE, null, trunks, null, durationMs, shortError);
	}

	Long getId() {
		return id;
	}

	Instant getStartedAt() {
		return startedAt;
	}

	String getActor() {
		return actor;
	}

	String getOutcome() {
		return outcome;
	}

	Long getGeneration() {
		return generation;
	}

	int getTrunks() {
		return trunks;
	}

	String getContentHash() {
		return contentHash;
	}

	long getDurationMs() {
		return durationMs;
	}

	String getError() {
		return error;
	}

}
