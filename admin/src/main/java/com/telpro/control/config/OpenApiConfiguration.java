package com.telpro.control.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at /v3/api-docs. Its schemas are resolved with the application's
 * own ObjectMapper, so they show the snake_case names and lower-case enum values the API
 * really uses.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	ModelResolver modelResolver(ObjectMapper objectMapper) {
		return new ModelResolver(objectMapper);
	}

	@Bean
	OpenAPI telproOpenApi() {
		return new OpenAPI().info(new Info().title("Telpro control plane API")
			.description("SIP trunks and what the edge proxy enforces. Errors are RFC 9457 problem details; "
					+ "field errors are listed under `errors`.")
			.version("v1"));
	}

}
