package com.telpro.control.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Prints where the operator finds the admin page once the service really answers. */
@Component
@Order(Ordered.LOWEST_PRECEDENCE) // last: everything a first request needs (the admin
									// account) exists
class ReadyBanner implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger log = LoggerFactory.getLogger(ReadyBanner.class);

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (event.getApplicationContext() instanceof WebServerApplicationContext web) {
			String address = event.getApplicationContext().getEnvironment().getProperty("server.address", "localhost");
			String host = "0.0.0.0".equals(address) ? "localhost" : address;
			log.info("Telpro admin ready: http://{}:{}/admin-settings", host, web.getWebServer().getPort());
		}
	}

}
