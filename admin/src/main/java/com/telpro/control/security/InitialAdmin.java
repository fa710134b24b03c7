package com.telpro.control.security;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On a start with no user at all, creates the admin account: with
 * {@code TELPRO_ADMIN_PASSWORD} when set, else with a random password printed once on the
 * console (standard output, not the log, so it does not end up in log files). Never a
 * fixed default. Every start then says where to log in.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE) // before the ready banner: "ready" must mean the admin
									// can log in
class InitialAdmin implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger log = LoggerFactory.getLogger(InitialAdmin.class);

	private final AppUserRepository users;

	private final PasswordEncoder passwordEncoder;

	private final AdminProperties properties;

	private final TransactionTemplate transaction;

	private final PrintStream console;

	@Autowired
	InitialAdmin(AppUserRepository users, PasswordEncoder passwordEncoder, AdminProperties properties,
			TransactionTemplate transaction) {
		this(users, passwordEncoder, properties, transaction, System.out);
	}

	InitialAdmin(AppUserRepository users, PasswordEncoder passwordEncoder, AdminProperties properties,
			TransactionTemplate transaction, PrintStream console) {
		this.users = users;
		this.passwordEncoder = passwordEncoder;
		this.properties = properties;
		this.transaction = transaction;
		this.console = console;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		String loginUrl = null;
		if (event.getApplicationContext() instanceof WebServerApplicationContext web
				&& web.getWebServer().getPort() > 0) {
			String address = event.getApplicationContext().getEnvironment().getProperty("server.address", "localhost");
			String host = "0.0.0.0".equals(address) ? "localhost" : address;
			loginUrl = "http://" + host + ":" + web.getWebServer().getPort() + "/login";
		}
		ensureAdmin(loginUrl);
	}

	/** Creates the first admin when there is no user; returns whether it did. */
	boolean ensureAdmin(String loginUrl) {
		String username = properties.initialUsername();
		String fromEnvironment = properties.hasInitialPassword() ? properties.initialPassword() : null;
		String password = fromEnvironment != null ? fromEnvironment : randomPassword();
		Boolean created = transaction.execute(status -> {
			if (users.count() > 0) {
				return false;
			}
			users.saveAndFlush(new AppUser(username, passwordEncoder.encode(password), Role.ADMIN));
			return true;
		});
		String where = loginUrl == null ? "the admin pages" : loginUrl;
		if (!Boolean.TRUE.equals(created)) {
			log.info("Log in at {} (the first admin was created at the first start; users are managed in the "
					+ "Users tab)", where);
			return false;
		}
		if (fromEnvironment != null) {
			log.info("First start: created user '{}' with the password from TELPRO_ADMIN_PASSWORD. Log in at {}",
					username, where);
			if (fromEnvironment.length() < UserService.MIN_PASSWORD_LENGTH) {
				log.warn("TELPRO_ADMIN_PASSWORD is shorter than {} characters; change it in the Users tab",
						UserService.MIN_PASSWORD_LENGTH);
			}
			return true;
		}
		String rule = "=".repeat(72);
		console.println();
		console.println(rule);
		console.println(" Telpro first start: created the admin account.");
		console.println("   Log in at: " + where);
		console.println("   User:      " + username);
		console.println("   Password:  " + password);
		console.println(" This password is shown only this once. Change it in the Users tab, or");
		console.println(" set TELPRO_ADMIN_PASSWORD before the first start next time.");
		console.println(rule);
		console.println();
		console.flush();
		return true;
	}

	private static String randomPassword() {
		byte[] bytes = new byte[18];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
