package com.telpro.control.security;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.telpro.control.support.TestUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
@ExtendWith(OutputCaptureExtension.class)
class InitialAdminTest {

	private static final Pattern PRINTED_PASSWORD = Pattern.compile("Password:\\s+(\\S+)");

	@Autowired
	AppUserRepository users;

	@Autowired
	PasswordEncoder passwordEncoder;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	JdbcTemplate jdbc;

	@AfterEach
	void restoreTheTestUsers() {
		new TestUsers(jdbc).ensure();
	}

	@Test
	void theFirstStartPrintsARandomPasswordOnceAndNeverAgain(CapturedOutput output) {
		jdbc.update("delete from app_user");
		InitialAdmin firstStart = new InitialAdmin(users, passwordEncoder, new AdminProperties("admin", ""),
				transaction);

		assertThat(firstStart.ensureAdmin("http://localhost:8080/login")).isTrue();

		Matcher printed = PRINTED_PASSWORD.matcher(output.getOut());
		assertThat(printed.find()).as("banner with the password").isTrue();
		String password = printed.group(1);
		assertThat(password).hasSizeGreaterThanOrEqualTo(20);
		assertThat(output.getOut()).contains("http://localhost:8080/login").contains("User:      admin");
		AppUser admin = users.findByUsername("admin").orElseThrow();
		assertThat(admin.getRole()).isEqualTo(Role.ADMIN);
		assertThat(admin.getPasswordHash()).startsWith("{bcrypt}").doesNotContain(password);
		assertThat(passwordEncoder.matches(password, admin.getPasswordHash())).isTrue();
		int lengthAfterFirstStart = output.length();

		InitialAdmin restart = new InitialAdmin(users, passwordEncoder, new AdminProperties("admin", ""), transaction);
		assertThat(restart.ensureAdmin("http://localhost:8080/login")).isFalse();

		String afterRestart = output.toString().substring(lengthAfterFirstStart);
		assertThat(afterRestart).doesNotContain(password).doesNotContain("Password:").contains("Log in at");
		assertThat(passwordEncoder.matches(password, users.findByUsername("admin").orElseThrow().getPasswordHash()))
			.as("the restart kept the password")
			.isTrue();
		assertThat(users.count()).isOne();
	}

	@Test
	void aGivenPasswordIsUsedAndNeverPrinted(CapturedOutput output) {
		jdbc.update("delete from app_user");
		String given = "operator-chosen-password";
		InitialAdmin firstStart = new InitialAdmin(users, passwordEncoder, new AdminProperties("admin", given),
				transaction);

		assertThat(firstStart.ensureAdmin(null)).isTrue();

		assertThat(output).doesNotContain(given).doesNotContain("Password:").contains("TELPRO_ADMIN_PASSWORD");
		assertThat(passwordEncoder.matches(given, users.findByUsername("admin").orElseThrow().getPasswordHash()))
			.isTrue();
	}

	@Test
	void twoRandomFirstStartsNeverShareAPassword(CapturedOutput output) {
		jdbc.update("delete from app_user");
		new InitialAdmin(users, passwordEncoder, new AdminProperties("admin", null), transaction).ensureAdmin(null);
		jdbc.update("delete from app_user");
		new InitialAdmin(users, passwordEncoder, new AdminProperties("admin", null), transaction).ensureAdmin(null);
		Matcher printed = PRINTED_PASSWORD.matcher(output.getOut());
		assertThat(printed.find()).isTrue();
		String first = printed.group(1);
		assertThat(printed.find()).isTrue();
		assertThat(printed.group(1)).isNotEqualTo(first);
	}

}
