package com.telpro.control.config;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Before the service is ready (and while it stops) a request with valid credentials gets
 * 503 with Retry-After, not 401; the probes answer meanwhile, readiness with 503
 * OUT_OF_SERVICE. The real start race, polled from the moment the port opens, is in
 * {@code EmbeddedRecoveryIT}.
 */
@SpringBootTest
@AutoConfigureMockMvc
class NotReadyFilterTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@AfterEach
	void ready() {
		AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
	}

	@Test
	void requestsBeforeReadinessGet503WithRetryAfterAndTheProbesAnswer() throws Exception {
		AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);

		mvc.perform(get("/api/trunks").with(httpBasic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD)))
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().string("Retry-After", "2"))
			.andExpect(jsonPath("$.title").value("Not ready"));
		mvc.perform(get("/login")).andExpect(status().isServiceUnavailable());
		mvc.perform(get("/actuator/health/liveness"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("UP"));
		mvc.perform(get("/actuator/health/readiness"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.status").value("OUT_OF_SERVICE"));

		AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);

		mvc.perform(get("/api/trunks").with(httpBasic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD)))
			.andExpect(status().isOk());
		mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk());
	}

}
