package com.telpro.control.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.telpro.control.support.Await;
import com.telpro.control.support.KamailioEdge;
import com.telpro.control.support.KamailioProcess;
import com.telpro.control.support.Loopback;
import com.telpro.control.support.ProcessResult;
import com.telpro.control.support.RtpEngineProcess;
import com.telpro.control.support.Sipp;
import com.telpro.control.support.Sipp.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Media through a real RTPEngine (kamailio/rtpengine.conf) with Kamailio run
 * WITH_RTPENGINE, proven on the SDP: what the backend receives (recorded by
 * uas_backend_media.xml), what the carrier gets back (logged by the uac_media_*
 * scenarios), and what RTPEngine holds (its ng control protocol). Each media refusal
 * leaves exactly one call record with its reason (stream telpro:v1:calls) and moves its
 * requests_total series (WITH_METRICS) by exactly the INVITEs refused (issues 17, 21).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KamailioMediaTests {

	private static final String SDES = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0e";

	private static final String DTLS = "a=fingerprint:sha-256 "
			+ "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF";

	/** An address nothing listens on: the SDP of a carrier behind NAT that names it. */
	private static final String WRONG_SDP_ADDRESS = "127.0.0.66";

	private final ContractRedis redis = new ContractRedis();

	private RtpEngineProcess rtpengine;

	private Sipp.Backend backend;

	private KamailioProcess kamailio;

	private EdgeMetrics metrics;

	@RegisterExtension
	final KamailioEdge edge = KamailioEdge.withDefines("WITH_RTPENGINE", "WITH_METRICS");

	@BeforeAll
	void start() {
		edge.uses(redis).start();
		rtpengine = edge.uses(RtpEngineProcess.start());
		int backendPort = Loopback.freeSipPort();
		backend = edge.uses(Sipp.mediaBackend(backendPort));
		int metricsPort = Loopback.freeSipPort();
		kamailio = edge.start("edge-media", redis.port(), backendPort, rtpengine.kamailioSocketDefine(),
				"METRICS_ADDR=127.0.0.1:" + metricsPort);
		metrics = new EdgeMetrics(metricsPort);
		edge.load(() -> redis
			.publish(List.of(EdgeTrunk.named("plain", 10).cidrs("127.0.0.2/32").set("codecs", List.of("PCMU", "PCMA")),
					EdgeTrunk.named("prefer", 10).cidrs("127.0.0.3/32").set("srtp_mode", "prefer"),
					EdgeTrunk.named("require", 10).cidrs("127.0.0.4/32").set("srtp_mode", "require"),
					EdgeTrunk.named("janus", 10).cidrs("127.0.0.5/32").set("is_internal", true),
					EdgeTrunk.named("natted", 10).cidrs("127.0.0.6/32").set("symmetric_rtp", true),
					EdgeTrunk.named("g722-first", 10).cidrs("127.0.0.7/32").set("codecs", List.of("G722", "PCMA")),
					EdgeTrunk.named("xcall-media", 10)
						.cidrs("127.0.0.8/32")
						.set("codecs", List.of("PCMU", "PCMA"))
						.set("requires_x_call", true))));
	}

	@Test
	@Order(1)
	void configCheckPassesWithRtpEngine() {
		ProcessResult r = KamailioProcess.checkConfig("WITH_RTPENGINE");
		assertThat(r.exitCode()).as(r.output()).isZero();
	}

	// ------------------------------------------------------------------ codecs and
	// addresses

	@Test
	@Order(10)
	void theBackendSeesPlainRtpFromRtpEngineWithTheTrunksCodecsInItsOrder() {
		// carrier prefers PCMA and also offers G.722; the trunk allows PCMU then PCMA
		Result r = call("127.0.0.2").sdp("RTP/AVP", "8 0 9 101").run();
		assertThat(r.passed()).as(r.output()).isTrue();
		assertThat(backendSdp(r)).isEqualTo(
				"callid=" + r.callId() + " c=" + RtpEngineProcess.PRIVATE_ADDRESS + " m=RTP/AVP 0 8 101 crypto= ice=");
		// the carrier talks to RTPEngine's public interface, never to the backend
		assertThat(r.logged("answer ")).startsWith("answer c=" + RtpEngineProcess.PUBLIC_ADDRESS + " m=RTP/AVP ")
			.endsWith("crypto=");
	}

	@Test
	@Order(11)
	void codecPreferencesReorderAndDropButKeepTelephoneEvent() {
		Result r = call("127.0.0.7").sdp("RTP/AVP", "0 8 18 9 101").run();
		assertThat(r.passed()).as(r.output()).isTrue();
		assertThat(backendSdp(r)).contains(" m=RTP/AVP 9 8 101 ");
	}

	@Test
	@Order(12)
	void anOfferWithNoCodecTheTrunkAllowsIsNotAcceptable() {
		Map<String, Double> before = metrics.scrape();
		Result r = rejected("127.0.0.2").sdp("RTP/AVP", "9 18 101").run();
		assertThat(r.lastStatus()).as(r.output()).isEqualTo("488 Not Acceptable Here");
		assertThat(backend.sdp(r.callId())).isNull();
		assertRecordedAndCounted("plain", "codec_not_allowed", before, r.callId());
	}

	@Test
	@Order(13)
	void anInternalTrunkKeepsBothLegsOnThePrivateInterface() {
		Result r = call("127.0.0.5").run();
		assertThat(r.passed()).as(r.output()).isTrue();
		assertThat(r.logged("answer ")).startsWith("answer c=" + RtpEngineProcess.PRIVATE_ADDRESS + " ");
		assertThat(backendSdp(r)).contains(" c=" + RtpEngineProcess.PRIVATE_ADDRESS + " ");
	}

	// ------------------------------------------------------------------ SRTP modes

	@Test
	@Order(20)
	void requireRefusesPlainRtpAndSrtpWithoutKeys() {
		Map<String, Double> before = metrics.scrape();
		Result plain = rejected("127.0.0.4").sdp("RTP/AVP", "8 101").run();
		assertThat(plain.lastStatus()).as(plain.output()).isEqualTo("488 Not Acceptable Here");
		Result noKeys = rejected("127.0.0.4").sdp("RTP/SAVP", "8 101").run();
		assertThat(noKeys.lastStatus()).as(noKeys.output()).isEqualTo("488 Not Acceptable Here");
		assertThat(backend.sdp(plain.callId())).isNull();
		assertThat(backend.sdp(noKeys.callId())).isNull();
		assertRecordedAndCounted("require", "srtp_required", before, plain.callId(), noKeys.callId());
		assertThat(rtpengine.calls()).doesNotContain(plain.callId(), noKeys.callId());
	}

	@Test
	@Order(21)
	void requireWithSdesEndsSrtpAtRtpEngine() {
		Result r = call("127.0.0.4").sdp("RTP/SAVP", "8 101").sdpAttribute(SDES).run();
		assertThat(r.passed()).as(r.output()).isTrue();
		assertThat(backendSdp(r)).contains(" m=RTP/AVP 8 101 crypto= ");
		// the answer mirrors the carrier's transport, with RTPEngine's own key
		assertThat(r.logged("answer ")).isEqualTo("answer c=" + RtpEngineProcess.PUBLIC_ADDRESS
				+ " m=RTP/SAVP 8 101 crypto=a=crypto:1 AES_CM_128_HMAC_SHA1_80");
	}

	@Test
	@Order(22)
	void requireAcceptsDtlsSrtp() {
		Result r = call("127.0.0.4").sdp("UDP/TLS/RTP/SAVP", "8 101").sdpAttribute(DTLS).run();
		assertThat(r.passed()).as(r.output()).isTrue();
		assertThat(backendSdp(r)).contains(" m=RTP/AVP 8 101 crypto= ");
		assertThat(r.logged("answer ")).contains(" m=UDP/TLS/RTP/SAVP 8 101 ");
	}

	@Test
	@Order(23)
	void preferConnectsWithAndWithoutCrypto() {
		Result srtp = call("127.0.0.3").sdp("RTP/SAVP", "8 101").sdpAttribute(SDES).run();
		assertThat(srtp.passed()).as(srtp.output()).isTrue();
		assertThat(srtp.logged("answer ")).contains(" m=RTP/SAVP 8 101 crypto=a=crypto:1 ");
		assertThat(backendSdp(srtp)).contains(" m=RTP/AVP 8 101 crypto= ");

		Result plain = call("127.0.0.3").sdp("RTP/AVP", "8 101").run();
		assertThat(plain.passed()).as(plain.output()).isTrue();
		assertThat(plain.logged("answer ")).contains(" m=RTP/AVP 8 101 crypto=");
		assertThat(backendSdp(plain)).contains(" m=RTP/AVP 8 101 crypto= ");
	}

	@Test
	@Order(24)
	void disabledRefusesSrtp() {
		Map<String, Double> before = metrics.scrape();
		Result r = rejected("127.0.0.2").sdp("RTP/SAVP", "8 101").sdpAttribute(SDES).run();
		assertThat(r.lastStatus()).as(r.output()).isEqualTo("488 Not Acceptable Here");
		assertThat(backend.sdp(r.callId())).isNull();
		assertRecordedAndCounted("plain", "srtp_not_allowed", before, r.callId());
	}

	@Test
	@Order(25)
	void aReInviteFromAnSrtpCarrierIsAnchoredLikeTheFirstOffer() {
		Result r = Sipp.uac("uac_media_reinvite.xml", kamailio.address())
			.from("127.0.0.4")
			.sdp("RTP/SAVP", "8 101")
			.sdpAttribute(SDES)
			.run();
		assertThat(r.passed()).as(r.output()).isTrue();
		Await.until(() -> backend.reinviteSdp(r.callId()) != null, Duration.ofSeconds(2));
		assertThat(backend.reinviteSdp(r.callId()))
			.isEqualTo("reinvite callid=" + r.callId() + " c=" + RtpEngineProcess.PRIVATE_ADDRESS + " m=RTP/AVP 8 101");
		assertThat(r.logged("reanswer ")).isEqualTo("reanswer c=" + RtpEngineProcess.PUBLIC_ADDRESS
				+ " m=RTP/SAVP 8 101 crypto=a=crypto:1 AES_CM_128_HMAC_SHA1_80");
	}

	@Test
	@Order(26)
	void aLateOfferIsAnchoredInTheReplyAndTheAck() {
		// INVITE without SDP: the backend offers 8 0 9 101 in its 200, the carrier
		// answers in the ACK
		Result r = Sipp.uac("uac_media_late.xml", kamailio.address()).from("127.0.0.2").sdp("RTP/AVP", "0 101").run();
		assertThat(r.passed()).as(r.output()).isTrue();
		assertThat(r.logged("offer "))
			.isEqualTo("offer c=" + RtpEngineProcess.PUBLIC_ADDRESS + " m=RTP/AVP 0 8 101 crypto=");
		Await.until(() -> backend.ackSdp(r.callId()) != null, Duration.ofSeconds(2));
		assertThat(backend.ackSdp(r.callId()))
			.startsWith("ack callid=" + r.callId() + " c=" + RtpEngineProcess.PRIVATE_ADDRESS + " m=RTP/AVP 0 ");
	}

	@Test
	@Order(27)
	void aLateOfferToAnSrtpRequiringTrunkOffersSrtp() {
		Result r = Sipp.uac("uac_media_late.xml", kamailio.address())
			.from("127.0.0.4")
			.sdp("RTP/SAVP", "8 101")
			.sdpAttribute(SDES)
			.run();
		assertThat(r.passed()).as(r.output()).isTrue();
		assertThat(r.logged("offer "))
			.startsWith("offer c=" + RtpEngineProcess.PUBLIC_ADDRESS + " m=RTP/SAVP 8 0 101 crypto=a=crypto:");
		Await.until(() -> backend.ackSdp(r.callId()) != null, Duration.ofSeconds(2));
		assertThat(backend.ackSdp(r.callId()))
			.startsWith("ack callid=" + r.callId() + " c=" + RtpEngineProcess.PRIVATE_ADDRESS + " m=RTP/AVP 8 ");
	}

	// ------------------------------------------------------------------ symmetric RTP

	@Test
	@Order(30)
	void symmetricRtpSendsToTheSourceNotToTheSdpAddress() {
		Map<String, Object> natted = carrierEndpointDuringCall(call("127.0.0.6").mediaAddress(WRONG_SDP_ADDRESS));
		assertThat(natted.get("address")).isEqualTo("127.0.0.6");
		Map<String, Object> trusting = carrierEndpointDuringCall(call("127.0.0.2").mediaAddress(WRONG_SDP_ADDRESS));
		assertThat(trusting.get("address")).isEqualTo(WRONG_SDP_ADDRESS);
	}

	// ------------------------------------------------------------------ X-Call

	@Test
	@Order(31)
	void anXCallWhoseCallMediaRefusedStillAdmitsOneCall() {
		String id = "0123456789abcdef0123456789abcdef";
		redis.createXCall(id, "xcall-media");
		Result refused = rejected("127.0.0.8").sdp("RTP/AVP", "9 18 101").header("X-Call-ID: " + id).run();
		assertThat(refused.lastStatus()).as(refused.output()).isEqualTo("488 Not Acceptable Here");
		assertThat(redis.exists("telpro:v1:xcall:" + id)).as("not spent by a call that was not relayed").isTrue();

		Result admitted = call("127.0.0.8").header("X-Call-ID: " + id).run();
		assertThat(admitted.passed()).as(admitted.output()).isTrue();
		assertThat(redis.exists("telpro:v1:xcall:" + id)).as("spent by the relayed call").isFalse();
		Result replayed = Sipp.uac("uac_invite_rejected.xml", kamailio.address())
			.from("127.0.0.8")
			.header("X-Call-ID: " + id)
			.run();
		assertThat(replayed.lastStatus()).as(replayed.output()).startsWith("403 X-Call-ID unknown or already used");
	}

	// ------------------------------------------------------------------ RTP and cleanup

	@Test
	@Order(40)
	void rtpFlowsThroughRtpEngineBothWays() {
		Sipp.Uac uac = Sipp.uac("uac_media_rtp.xml", kamailio.address())
			.from("127.0.0.2")
			.holdFor(Duration.ofMillis(3000));
		CompletableFuture<Result> running = CompletableFuture.supplyAsync(uac::run);
		// the pcap plays 20 ms packets from the start of the pause; the backend echoes
		// them
		Await.until(() -> receivedPackets(uac.callId(), "SIPpTag00") > 10
				&& receivedPackets(uac.callId(), "SIPpTag01") > 10, Duration.ofSeconds(4));
		Result r = running.join();
		assertThat(r.passed()).as(r.output()).isTrue();
	}

	@Test
	@Order(41)
	void aCallTheBackendRefusesLeavesNoSession() {
		Result r = rejected("127.0.0.2").header("X-Test-Action: reject").run();
		assertThat(r.lastStatus()).as(r.output()).isEqualTo("486 Busy Here");
		assertThat(backendSdp(r)).contains(" c=" + RtpEngineProcess.PRIVATE_ADDRESS + " ");
		assertThat(rtpengine.calls()).doesNotContain(r.callId());
	}

	@Test
	@Order(42)
	void earlyMediaIsAnsweredThroughRtpEngineAndACancelLeavesNoSession() {
		Result r = Sipp.uac("uac_media_cancel.xml", kamailio.address())
			.from("127.0.0.2")
			.header("X-Test-Action: ring")
			.run();
		assertThat(r.passed()).as(r.output()).isTrue();
		assertThat(r.lastStatus()).isEqualTo("487 Request Terminated");
		assertThat(r.logged("answer ")).startsWith("answer c=" + RtpEngineProcess.PUBLIC_ADDRESS + " m=RTP/AVP 0 101");
		assertThat(rtpengine.calls()).doesNotContain(r.callId());
	}

	@Test
	@Order(90)
	void everyCallEndedLeavesNoSessionInRtpEngine() {
		Await.until(() -> rtpengine.calls().isEmpty(), Duration.ofSeconds(3));
		assertThat(rtpengine.calls()).isEmpty();
	}

	@Test
	@Order(99)
	void withoutRtpEngineNoCallPassesUnanchored() {
		rtpengine.close();
		Map<String, Double> before = metrics.scrape();
		Result r = rejected("127.0.0.2").run();
		assertThat(r.lastStatus()).as(r.output()).isEqualTo("503 Media relay unavailable");
		assertThat(backend.sdp(r.callId())).isNull();
		assertRecordedAndCounted("plain", "media_unavailable", before, r.callId());
	}

	// ------------------------------------------------------------------ helpers

	/**
	 * Exactly one call record with the reason per Call-ID, and of every requests_total
	 * series only the trunk's INVITE series of that reason moved, by the calls given.
	 */
	private void assertRecordedAndCounted(String trunk, String reason, Map<String, Double> before, String... callIds) {
		Map<String, Double> expected = Map.of(EdgeMetrics.requests(trunk, reason, "INVITE"), (double) callIds.length);
		Await.until(() -> requestsDelta(before, metrics.scrape()).equals(expected), Duration.ofSeconds(5),
				() -> "requests_total moved by " + requestsDelta(before, metrics.scrape()));
		for (String callId : callIds) {
			Await.until(() -> !redis.recordReasons(callId).isEmpty(), Duration.ofSeconds(5));
			assertThat(redis.recordReasons(callId)).as("records of %s", callId).containsExactly(reason);
		}
	}

	private static Map<String, Double> requestsDelta(Map<String, Double> before, Map<String, Double> after) {
		Map<String, Double> out = new TreeMap<>();
		after.forEach((k, v) -> {
			double d = v - before.getOrDefault(k, 0.0);
			if (k.startsWith("telpro_edge_requests_total{") && d != 0) {
				out.put(k, d);
			}
		});
		return out;
	}

	private Sipp.Uac call(String source) {
		return Sipp.uac("uac_media_call.xml", kamailio.address()).from(source);
	}

	private Sipp.Uac rejected(String source) {
		return Sipp.uac("uac_media_rejected.xml", kamailio.address()).from(source);
	}

	/** The backend writes the SDP right after the INVITE; give the write a moment. */
	private String backendSdp(Result r) {
		Await.until(() -> backend.sdp(r.callId()) != null, Duration.ofSeconds(2));
		return backend.sdp(r.callId());
	}

	/** Where RTPEngine sends the carrier's media, asked while the call is up. */
	private Map<String, Object> carrierEndpointDuringCall(Sipp.Uac uac) {
		CompletableFuture<Result> running = CompletableFuture.supplyAsync(uac.holdFor(Duration.ofMillis(1500))::run);
		Await.until(() -> rtpStream(uac.callId(), "SIPpTag00") != null && backend.sdp(uac.callId()) != null,
				Duration.ofSeconds(3));
		Map<String, Object> endpoint = map(rtpStream(uac.callId(), "SIPpTag00").get("endpoint"));
		Result r = running.join();
		assertThat(r.passed()).as(r.output()).isTrue();
		return endpoint;
	}

	private long receivedPackets(String callId, String tagMarker) {
		Map<String, Object> stream = rtpStream(callId, tagMarker);
		return stream == null ? 0 : (Long) map(stream.get("stats")).get("packets");
	}

	/**
	 * The RTP stream RTPEngine keeps for the side whose SIP tag contains the marker
	 * (sipp: 00 carrier, 01 backend).
	 */
	private Map<String, Object> rtpStream(String callId, String tagMarker) {
		Map<String, Object> call = rtpengine.query(callId);
		if (call == null) {
			return null;
		}
		for (Map.Entry<String, Object> tag : map(call.get("tags")).entrySet()) {
			if (!tag.getKey().contains(tagMarker)) {
				continue;
			}
			for (Object media : (List<?>) map(tag.getValue()).get("medias")) {
				for (Object stream : (List<?>) map(media).get("streams")) {
					if (((List<?>) map(stream).get("flags")).contains("RTP")) {
						return map(stream);
					}
				}
			}
		}
		return null;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

}
