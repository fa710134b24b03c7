package com.telpro.control;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class TelproApplication {

	public static void main(String[] args) {
		SpringApplication.run(TelproApplication.class, args);
	}

}
