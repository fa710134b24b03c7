package com.telpro.control.trunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.validation.BindingResult;
import org.springframework.validation.DirectFieldBindingResult;

/** The rules that need a CA certificate lookup, and the positive cases of the conditional rules. */
class TrunkValidatorTests {

	static ValidatorFactory factory;

	@BeforeAll
	static void start() {
		factory = Validation.buildDefaultValidatorFactory();
	}

	@AfterAll
	static void stop() {
		factory.close();
	}

	static TrunkValidator validator(CaCertificateLookup lookup) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		if (lookup != null) {
			beans.addBean("caCertificates", lookup);
		}
		return new TrunkValidator(factory.getValidator(), beans.getBeanProvider(CaCertificateLookup.class));
	}

	static BindingResult validate(TrunkValidator validator, TrunkRequest request) {
		TrunkRequest effective = request.withDefaults();
		BindingResult errors = new DirectFieldBindingResult(effective, "trunk");
		validator.validate(effective, errors);
		return errors;
	}

	/** The spec's "Full mTLS + peer name" trunk, with digest and an empty realm on a literal domain. */
	static TrunkRequest fullMtls(Long caId) {
		return new TrunkRequest("Full mTLS", true, 15, Set.of(IdentifyMethod.SOURCE_IP, IdentifyMethod.FROM_DOMAIN),
				List.of("203.0.113.0/24", "2001:db8::/32"), "^(pstn\\.carrier\\.example|sip\\.carrier\\.example)$", null,
				AuthMethod.IP_AND_DIGEST, "", "carrier", "secret-pass", SrtpMode.PREFER, true, true, true, true,
				PeerNameVerification.ENABLED, "trunk.pstn.carrier.example", caId, "X-Carrier-CallId", false, false, 100, 10,
				480, List.of("opus", "G722", "PCMA"), null);
	}

	@Test
	void aLimitResponseOtherThan486480Or503IsAFieldError() {
		TrunkRequest t = fullMtls(7L);
		TrunkRequest bad = new TrunkRequest(t.name(), t.enabled(), t.priority(), t.identifyBy(), t.allowedIps(),
				t.fromDomainPattern(), t.userAgentPattern(), t.authMethod(), t.authRealm(), t.authUser(), t.authPass(),
				t.srtpMode(), t.symmetricRtp(), t.requireTls(), t.verifyPeer(), t.requireClientCert(),
				t.peerNameVerification(), t.tlsRemoteSubjectName(), t.tlsCaSecretId(), t.uniqueIdHeader(), t.isInternal(),
				t.requiresXCall(), t.maxConcurrentCalls(), -1, 404, t.codecPreferences(), t.version());
		BindingResult errors = validate(validator(id -> id == 7), bad);
		assertThat(errors.getFieldError("limitResponse").getDefaultMessage()).contains("486, 480 or 503");
		assertThat(errors.getFieldError("maxCallsPerSecond")).isNotNull();
	}

	@Test
	void fullMtlsTrunkWithAKnownCaIsValid() {
		BindingResult errors = validate(validator(id -> id == 7), fullMtls(7L));
		assertThat(errors.getAllErrors()).isEmpty();
	}

	@Test
	void withoutTheSecretsFeatureNoCaIsKnown() {
		BindingResult errors = validate(validator(null), fullMtls(7L));
		assertThat(errors.getFieldErrors()).singleElement().satisfies(error -> {
			assertThat(error.getField()).isEqualTo("tlsCaSecretId");
			assertThat(error.getDefaultMessage()).isEqualTo("no CA certificate secret with id 7");
		});
	}

	@Test
	void anUnknownCaIsRefusedByTheLookup() {
		BindingResult errors = validate(validator(id -> id == 7), fullMtls(8L));
		assertThat(errors.getFieldError("tlsCaSecretId").getDefaultMessage()).contains("id 8");
	}

	@Test
	void userAgentOnlyDigestTrunkWithARealmIsValid() {
		TrunkRequest request = new TrunkRequest("UA digest", null, null, Set.of(IdentifyMethod.USER_AGENT), null, null,
				"^Asterisk PBX (1[6-9]|2[0-9])\\.", AuthMethod.DIGEST, "pbx.example.net", "pbx", "pw", null, null, null,
				null, null, null, null, null, null, null, null, null, null, null, null, null);
		assertThat(validate(validator(null), request).getAllErrors()).isEmpty();
	}

	@Test
	void bothReferenceExamplesAreValidAsTheSpecWritesThem() {
		TrunkRequest twilio = new TrunkRequest("Twilio production", null, 20,
				Set.of(IdentifyMethod.SOURCE_IP, IdentifyMethod.FROM_DOMAIN), List.of("54.172.60.0/23"), ".*\\.twilio\\.com$",
				null, AuthMethod.IP_ONLY, null, null, null, SrtpMode.REQUIRE, true, true, null, null, null, null, null,
				"X-Twilio-CallSid", null, null, null, null, null, null, null);
		TrunkRequest janus = new TrunkRequest("Janus internal", null, 10, Set.of(IdentifyMethod.SOURCE_IP),
				List.of("10.30.0.13/32"), null, null, AuthMethod.IP_ONLY, null, null, null, null, null, null, null, null,
				null, null, null, null, true, true, null, null, null, null, null);
		assertThat(validate(validator(null), twilio).getAllErrors()).isEmpty();
		assertThat(validate(validator(null), janus).getAllErrors()).isEmpty();
	}

}
