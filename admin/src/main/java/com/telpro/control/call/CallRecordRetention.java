package com.telpro.control.call;

import java.sql.Timestamp;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Purges call records older than {@code telpro.calls.retention} every
 * {@code purge-interval}.
 */
@Component
class CallRecordRetention {

	private static final Logger log = LoggerFactory.getLogger(CallRecordRetention.class);

	private final JdbcTemplate jdbc;

	private final CallRecordProperties properties;

	CallRecordRetention(JdbcTemplate jdbc, CallRecordProperties properties, TaskScheduler scheduler) {
		this.jdbc = jdbc;
		this.properties = properties;
		scheduler.scheduleWithFixedDelay(this::purgeQuietly, Instant.now().plus(properties.purgeInterval()),
				properties.purgeInterval());
	}

	/** Deletes the records older than the retention; returns how many. */
	int purge() {
		Timestamp cutoff = Timestamp.from(Instant.now().minus(properties.retention()));
		int deleted = jdbc.update("delete from call_records where coalesce(arrived_at, stored_at) < ?", cutoff);
		if (deleted > 0) {
			log.info("Call records purged: {} older than {}", deleted, properties.retention());
		}
		return deleted;
	}

	private void purgeQuietly() {
		try {
			purge();
		}
		catch (DataAccessException ex) {
			log.warn("Call record purge failed, retried in {}: {}", properties.purgeInterval(), ex.getMessage());
		}
	}

}
