package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.Loopback;
import com.telpro.control.support.Sipp;
import com.telpro.control.support.Sipp.Result;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WITH_ACC_DB while PostgreSQL is away: calls still go through (the hot path never reads
 * the database), acc's insert fails, and the call record is not silently lost — it is in
 * Kamailio's log as acc's "ACC: transaction answered" line with every extra field. When
 * PostgreSQL is back, db_postgres reconnects by itself and new records land in the table
 * again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KamailioCallRecordOutageTests {

	private final ContractRedis redis = new ContractRedis();

	private final int postgresPort = Loopback.freeSipPort();

	private Path dataDir;

	private EmbeddedPostgres postgres;

	private Sipp.Backend backend;

	private KamailioProcess kamailio;

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.withDefines("WITH_ACC_DB");

	@BeforeAll
	void start() throws Exception {
		dataDir = Files.createTempDirectory("telpro-acc-outage-");
		// the test stops and restarts PostgreSQL: whichever runs at the end is closed
		edge.usesCurrent(() -> postgres);
		postgres = startPostgres();
		String database = KamailioEdge.accDatabase(postgres);
		edge.uses(redis).start();
		int backendPort = Loopback.freeSipPort();
		backend = edge.uses(Sipp.backend(backendPort));
		kamailio = edge.start("edge-acc-outage", redis.port(), backendPort, database);
		edge.load(() -> redis.publish(List.of(EdgeTrunk.named("carrier", 10).cidrs("127.0.0.2/32"))));
	}

	private EmbeddedPostgres startPostgres() throws Exception {
		return EmbeddedPostgres.builder()
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			.setPort(postgresPort)
			.setServerConfig("listen_addresses", "127.0.0.1")
			.start();
	}

	@Test
	void callsContinueWhilePostgresIsDownTheirRecordsAreLoggedAndTheTableFillsAgainAfterwards() throws Exception {
		Result before = call();
		assertThat(awaitRows(before.callId(), 2)).as("records while the database is up").isEqualTo(2);

		postgres.close();
		postgres = null;
		Result during;
		try {
			during = call();
			assertThat(during.passed()).as("a call while PostgreSQL is down: " + during.output()).isTrue();
			assertThat(kamailio.log()).containsPattern("ACC: transaction answered: [^\\n]*method=INVITE;[^\\n]*call_id="
					+ during.callId() + ";code=200;[^\\n]*trunk=carrier;");
			assertThat(kamailio.log()).containsPattern(
					"ACC: transaction answered: [^\\n]*method=BYE;[^\\n]*call_id=" + during.callId() + ";");
		}
		finally {
			if (postgres == null) {
				postgres = startPostgres();
			}
		}

		// db_postgres reconnects on its own; the first call after the restart may still
		// miss the table
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		boolean recorded = false;
		while (!recorded && System.nanoTime() < deadline) {
			Result after = call();
			recorded = awaitRows(after.callId(), 2) == 2;
		}
		assertThat(recorded).as("records land in the table again without restarting Kamailio").isTrue();
		assertThat(countRows(during.callId())).as("the outage call is in the log only").isZero();
	}

	private Result call() {
		Result r = Sipp.uac("uac_call.xml", kamailio.address()).from("127.0.0.2").run();
		assertThat(r.passed()).as(r.output()).isTrue();
		return r;
	}

	private int awaitRows(String callId, int expected) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		int rows = 0;
		while (System.nanoTime() < deadline) {
			rows = countRows(callId);
			if (rows >= expected) {
				return rows;
			}
			Thread.sleep(100);
		}
		return rows;
	}

	private int countRows(String callId) throws Exception {
		try (Connection c = postgres.getPostgresDatabase().getConnection();
				Statement s = c.createStatement();
				ResultSet r = s.executeQuery("select count(*) from acc where callid = '" + callId + "'")) {
			r.next();
			return r.getInt(1);
		}
	}

}
