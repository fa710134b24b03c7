package com.telpro.control.trunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.telpro.control.secret.CaCertificateLookup;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.validation.BindingResult;
import org.springframework.validation.DirectFieldBindingResult;

/**
 * The rules that need a CA certificate lookup, and the positive cases of the conditional
 * rules.
 */
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

	static BindingResult validate(TrunkValidator validator, TrunkSpec spec) {
		BindingResult errors = new DirectFieldBindingResult(spec, "trunk");
		validator.validate(spec, errors);
		return errors;
	}

	/**
	 * The spec's "Full mTLS + peer name" trunk, with digest and an empty realm on a
	 * literal domain.
	 */
	static TrunkSpec fullMtls(Long caId) {
		return TrunkSpec.builder()
			.name("Full mTLS")
			.priority(15)
			.identifyBy(IdentifyMethod.SOURCE_IP, IdentifyMethod.FROM_DOMAIN)
			.allowedIps("203.0.113.0/24", "2001:db8::/32")
			.fromDomainPattern("^(pstn\\.carrier\\.example|sip\\.carrier\\.example)$")
			.authMethod(AuthMethod.IP_AND_DIGEST)
			.authRealm("")
			.authUser("carrier")
			.authPass("secret-pass")
			.srtpMode(SrtpMode.PREFER)
			.symmetricRtp(true)
			.requireTls(true)
			.verifyPeer(true)
			.requireClientCert(true)
			.peerNameVerification(PeerNameVerification.ENABLED)
			.tlsRemoteSubjectName("trunk.pstn.carrier.example")
			.tlsCaSecretId(caId)
			.uniqueIdHeader("X-Carrier-CallId")
			.maxConcurrentCalls(100)
			.maxCallsPerSecond(10)
			.limitResponse(480)
			.codecPreferences(List.of("opus", "G722", "PCMA"))
			.build();
	}

	@Test
	void aLimitResponseOtherThan486480Or503IsAFieldError() {
		TrunkSpec bad = fullMtls(7L).toBuilder().maxCallsPerSecond(-1).limitResponse(404).build();
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
		TrunkSpec request = TrunkSpec.builder()
			.name("UA digest")
			.identifyBy(IdentifyMethod.USER_AGENT)
			.userAgentPattern("^Asterisk PBX (1[6-9]|2[0-9])\\.")
			.authMethod(AuthMethod.DIGEST)
			.authRealm("pbx.example.net")
			.authUser("pbx")
			.authPass("pw")
			.build();
		assertThat(validate(validator(null), request).getAllErrors()).isEmpty();
	}

	@Test
	void bothReferenceExamplesAreValidAsTheSpecWritesThem() {
		TrunkSpec twilio = TrunkSpec.builder()
			.name("Twilio production")
			.priority(20)
			.identifyBy(IdentifyMethod.SOURCE_IP, IdentifyMethod.FROM_DOMAIN)
			.allowedIps("54.172.60.0/23")
			.fromDomainPattern(".*\\.twilio\\.com$")
			.authMethod(AuthMethod.IP_ONLY)
			.srtpMode(SrtpMode.REQUIRE)
			.symmetricRtp(true)
			.requireTls(true)
			.uniqueIdHeader("X-Twilio-CallSid")
			.build();
		TrunkSpec janus = TrunkSpec.builder()
			.name("Janus internal")
			.priority(10)
			.identifyBy(IdentifyMethod.SOURCE_IP)
			.allowedIps("10.30.0.13/32")
			.authMethod(AuthMethod.IP_ONLY)
			.isInternal(true)
			.requiresXCall(true)
			.build();
		assertThat(validate(validator(null), twilio).getAllErrors()).isEmpty();
		assertThat(validate(validator(null), janus).getAllErrors()).isEmpty();
	}

}
