package com.telpro.control.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.ProblemDetail;

@ExtendWith(OutputCaptureExtension.class)
class ApiExceptionHandlerTests {

	@Test
	void unexpectedErrorsShowOnlyACorrelationIdThatIsAlsoLogged(CapturedOutput output) throws Exception {
		ProblemDetail problem = new ApiExceptionHandler()
			.unexpected(new IllegalStateException("connection to db-internal-7 refused"));
		assertThat(problem.getStatus()).isEqualTo(500);
		String correlationId = (String) problem.getProperties().get("correlation_id");
		assertThat(correlationId).isNotBlank();
		assertThat(problem.getDetail()).contains(correlationId).doesNotContain("db-internal-7");
		assertThat(output.getAll()).contains(correlationId);
	}

	@Test
	void fieldPathsAreShownInTheJsonNames() {
		assertThat(FieldProblem.jsonName("allowedIps[1]")).isEqualTo("allowed_ips[1]");
		assertThat(FieldProblem.jsonName("requiresXCall")).isEqualTo("requires_x_call");
		assertThat(FieldProblem.jsonName("tlsCaSecretId")).isEqualTo("tls_ca_secret_id");
		assertThat(FieldProblem.jsonName("name")).isEqualTo("name");
	}

}
