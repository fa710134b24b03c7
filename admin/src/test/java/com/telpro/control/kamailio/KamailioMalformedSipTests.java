package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.RawSip;
import com.telpro.control.support.RawSip.Answer;
import com.telpro.control.support.RawSip.Transport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of malformed and unusual-but-valid messages ({@code sip-corpus/corpus.sip})
 * against one real Kamailio: each message over UDP and over TCP gets the answer the
 * corpus records, the process survives it (same PID, an OPTIONS probe still answered
 * 200), and nothing reaches the backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KamailioMalformedSipTests {

	static final String TRUNK_SOURCE = "127.0.0.2";

	static final String STRANGER = "127.0.0.99";

	/** Answers come in milliseconds on loopback; "no answer" waits this long. */
	private static final Duration DROP_WAIT = Duration.ofMillis(250);

	private static final Duration ANSWER_WAIT = Duration.ofSeconds(2);

	private final ContractRedis redis = new ContractRedis();

	private CountingBackend backend;

	private KamailioProcess kamailio;

	private long pid;

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.create();

	@BeforeAll
	void start() throws Exception {
		edge.uses(redis).start();
		backend = edge.uses(new CountingBackend());
		kamailio = edge.start("edge-corpus", redis.port(), backend.port());
		pid = kamailio.pid();
		edge.load(() -> redis.publish(List.of(EdgeTrunk.named("carrier", 10).cidrs(TRUNK_SOURCE + "/32"))));
	}

	static Stream<Arguments> corpus() {
		return SipCorpus.entries()
			.stream()
			.flatMap(e -> Stream.of(Arguments.of(e, Transport.UDP), Arguments.of(e, Transport.TCP)));
	}

	@Test
	void theCorpusHoldsAtLeastFortyMessages() {
		assertThat(SipCorpus.entries()).hasSizeGreaterThanOrEqualTo(40);
	}

	@ParameterizedTest(name = "{1} {0}")
	@MethodSource("corpus")
	void eachMessageGetsItsRecordedAnswerAndTheEdgeSurvives(SipCorpus.Entry entry, Transport transport) {
		int expected = entry.expected(transport);
		assumeTrue(expected != 0, "not sent over " + transport);
		String source = entry.stranger() ? STRANGER : TRUNK_SOURCE;
		String callId = "corpus-" + UUID.randomUUID();
		byte[] message = RawSip.bytes(
				new String(entry.message(kamailio.port()), StandardCharsets.ISO_8859_1).replace("${callid}", callId));
		Answer answer = RawSip.send(transport, source, kamailio.port(), message,
				expected < 0 ? DROP_WAIT : ANSWER_WAIT);
		assertThat(answer.status()).as("%s over %s answered %s", entry.name(), transport, answer).isEqualTo(expected);
		assertThat(kamailio.pid()).isEqualTo(pid);
		assertThat(ProcessHandle.of(pid)).as("Kamailio process")
			.hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
		assertThat(kamailio.options(Duration.ofSeconds(2))).as("OPTIONS probe after " + entry.name()).isEqualTo(200);
		assertThat(backend.relayed(callId)).as("relayed to the backend").isEmpty();
	}

}
