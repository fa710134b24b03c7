package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

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
 * Call records with WITH_ACC_DB: Kamailio's acc module writes to the tables the admin
 * service's Flyway migrations create (V41), in a PostgreSQL of this class's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KamailioCallRecordTests {

	private final ContractRedis redis = new ContractRedis();

	private EmbeddedPostgres postgres;

	private Sipp.Backend backend;

	private KamailioProcess kamailio;

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.withDefines("WITH_ACC_DB");

	@BeforeAll
	void start() throws Exception {
		postgres = edge.uses(EmbeddedPostgres.builder().setPort(Loopback.freeSipPort()).start());
		String database = KamailioEdge.accDatabase(postgres);
		edge.uses(redis).start();
		int backendPort = Loopback.freeSipPort();
		backend = edge.uses(Sipp.backend(backendPort));
		kamailio = edge.start("edge-acc", redis.port(), backendPort, database);
		edge.load(() -> redis.publish(List.of(
				EdgeTrunk.named("carrier", 10).cidrs("127.0.0.2/32").set("unique_id_header", "X-Carrier-CallSid"),
				EdgeTrunk.named("janus", 20).cidrs("127.0.0.5/32").set("requires_x_call", true))));
	}

	@Test
	void aCallIsRecordedAtStartAndEndWithItsTrunkAndExternalId() throws Exception {
		Result call = Sipp.uac("uac_call.xml", kamailio.address())
			.from("127.0.0.2")
			.header("X-Carrier-CallSid: CA77")
			.run();
		assertThat(call.passed()).as(call.output()).isTrue();

		List<String> rows = awaitRows(
				"select method, sip_code, trunk, ext_call_id, src_ip, dst_user from acc where callid = '"
						+ call.callId() + "' order by id",
				2);
		assertThat(rows).containsExactly("INVITE 200 carrier CA77 127.0.0.2 15551234",
				"BYE 200 carrier CA77 127.0.0.2 15551234");
	}

	@Test
	void aRefusedCallOfAnIdentifiedTrunkIsRecordedAsFailedAndMissed() throws Exception {
		Result refused = Sipp.uac("uac_invite_rejected.xml", kamailio.address()).from("127.0.0.5").run();
		assertThat(refused.lastStatus()).as(refused.output()).isEqualTo("403 X-Call-ID required");

		String where = " where callid = '" + refused.callId() + "'";
		assertThat(awaitRows("select method, sip_code, trunk from acc" + where, 1)).containsExactly("INVITE 403 janus");
		assertThat(awaitRows("select method, sip_code, trunk from missed_calls" + where, 1))
			.containsExactly("INVITE 403 janus");
	}

	private List<String> awaitRows(String sql, int expected) throws Exception {
		DataSource db = postgres.getPostgresDatabase();
		long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		List<String> rows = new ArrayList<>();
		while (System.nanoTime() < deadline) {
			rows.clear();
			try (Connection c = db.getConnection();
					Statement s = c.createStatement();
					ResultSet r = s.executeQuery(sql)) {
				int columns = r.getMetaData().getColumnCount();
				while (r.next()) {
					List<String> values = new ArrayList<>();
					for (int i = 1; i <= columns; i++) {
						values.add(r.getString(i));
					}
					rows.add(String.join(" ", values));
				}
			}
			if (rows.size() >= expected) {
				return rows;
			}
			Thread.sleep(100);
		}
		return rows;
	}

}
