package com.telpro.control.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.telpro.control.secret.SecretCipher;
import com.telpro.control.trunk.AuthMethod;
import com.telpro.control.trunk.IdentifyMethod;
import com.telpro.control.trunk.SrtpMode;
import com.telpro.control.trunk.Trunk;
import com.telpro.control.trunk.TrunkRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

@SpringBootTest
@AutoConfigureMockMvc
@WithMockUser(username = "admin", roles = "ADMIN")
class TrunkAdminControllerTests {

	@Autowired
	WebApplicationContext context;

	/**
	 * Signed in as an admin; every request carries the form's CSRF token as a browser's
	 * would.
	 */
	MockMvc mvc;

	@Autowired
	TrunkRepository repository;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	SecretCipher cipher;

	@BeforeEach
	void clean() {
		mvc = MockMvcBuilders.webAppContextSetup(context)
			.apply(SecurityMockMvcConfigurers.springSecurity())
			.defaultRequest(get("/").with(SecurityMockMvcRequestPostProcessors.user("admin").roles("ADMIN"))
				.with(SecurityMockMvcRequestPostProcessors.csrf()))
			.build();
		repository.deleteAll();
	}

	String tableDump() {
		return jdbc.queryForList("select * from trunk order by id").toString();
	}

	/** The Twilio reference example as the operator types it into the form. */
	static MockHttpServletRequestBuilder twilioForm(String url, String... overrides) {
		Map<String, String[]> params = new LinkedHashMap<>();
		params.put("name", new String[] { "Twilio production" });
		params.put("enabled", new String[] { "true" });
		params.put("_enabled", new String[] { "on" });
		params.put("priority", new String[] { "20" });
		params.put("identifyBy", new String[] { "source_ip", "from_domain" });
		params.put("allowedIps", new String[] { "54.172.60.0/23" });
		params.put("fromDomainPattern", new String[] { ".*\\.twilio\\.com$" });
		params.put("authMethod", new String[] { "ip_only" });
		params.put("srtpMode", new String[] { "require" });
		params.put("symmetricRtp", new String[] { "true" });
		params.put("_symmetricRtp", new String[] { "on" });
		params.put("requireTls", new String[] { "true" });
		params.put("_requireTls", new String[] { "on" });
		params.put("peerNameVerification", new String[] { "disabled" });
		params.put("uniqueIdHeader", new String[] { "X-Twilio-CallSid" });
		params.put("maxConcurrentCalls", new String[] { "0" });
		params.put("codecPreferences", new String[] { "PCMA, PCMU" });
		for (int i = 0; i < overrides.length; i += 2) {
			params.put(overrides[i], new String[] { overrides[i + 1] });
		}
		MockHttpServletRequestBuilder form = post(url).with(csrf());
		params.forEach(form::param);
		return form;
	}

	@Test
	void pageListsTrunksByPriorityWithTheTabNav() throws Exception {
		Trunk late = trunk("Zeta catch-all", 90);
		Trunk early = trunk("Alpha", 10);
		repository.save(late);
		repository.save(early);
		String html = mvc.perform(get("/admin-settings"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("SIP Trunks")))
			.andExpect(content().string(containsString("class=\"tabs\"")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(html.indexOf("Alpha")).isPositive().isLessThan(html.indexOf("Zeta catch-all"));
	}

	@Test
	void twilioExampleIsEnterableThroughTheForm() throws Exception {
		mvc.perform(get("/admin-settings/trunks/new")).andExpect(status().isOk());
		mvc.perform(twilioForm("/admin-settings/trunks"))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrl("/admin-settings"))
			.andExpect(flash().attribute("message", containsString("Twilio production")));
		Trunk saved = repository.findByName("Twilio production").orElseThrow();
		assertThat(saved.getIdentifyBy()).containsExactlyInAnyOrder(IdentifyMethod.SOURCE_IP,
				IdentifyMethod.FROM_DOMAIN);
		assertThat(saved.getAllowedIps()).containsExactly("54.172.60.0/23");
		assertThat(saved.getFromDomainPattern()).isEqualTo(".*\\.twilio\\.com$");
		assertThat(saved.getAuthMethod()).isEqualTo(AuthMethod.IP_ONLY);
		assertThat(saved.isRequireTls()).isTrue();
		assertThat(saved.getSrtpMode()).isEqualTo(SrtpMode.REQUIRE);
		assertThat(saved.isSymmetricRtp()).isTrue();
		assertThat(saved.getUniqueIdHeader()).isEqualTo("X-Twilio-CallSid");
		assertThat(saved.getPriority()).isEqualTo(20);
		assertThat(saved.getCodecPreferences()).containsExactly("PCMA", "PCMU");
	}

	@Test
	void janusExampleIsEnterableThroughTheForm() throws Exception {
		mvc.perform(post("/admin-settings/trunks").with(csrf())
			.param("name", "Janus internal")
			.param("enabled", "true")
			.param("priority", "10")
			.param("identifyBy", "source_ip")
			.param("allowedIps", "10.30.0.13/32")
			.param("authMethod", "ip_only")
			.param("srtpMode", "disabled")
			.param("peerNameVerification", "disabled")
			.param("isInternal", "true")
			.param("requiresXCall", "true")
			.param("maxConcurrentCalls", "0")
			.param("codecPreferences", "PCMA, PCMU")).andExpect(redirectedUrl("/admin-settings"));
		Trunk saved = repository.findByName("Janus internal").orElseThrow();
		assertThat(saved.isInternal()).isTrue();
		assertThat(saved.isRequiresXCall()).isTrue();
		assertThat(saved.getPriority()).isEqualTo(10);
	}

	@Test
	void badCidrIsShownBesideTheFieldWithTheInputKept() throws Exception {
		repository.save(trunk("Existing", 10));
		String before = tableDump();
		mvc.perform(twilioForm("/admin-settings/trunks", "allowedIps", "54.172.60.0/23\n10.0.0.300"))
			.andExpect(status().isOk())
			.andExpect(view().name("trunks/form"))
			.andExpect(model().attributeHasFieldErrors("trunk", "allowedIps"))
			.andExpect(content().string(containsString("&#39;10.0.0.300&#39; is not a valid address")))
			.andExpect(content().string(containsString("54.172.60.0/23\n10.0.0.300</textarea>")))
			.andExpect(content().string(containsString("value=\"X-Twilio-CallSid\"")))
			.andExpect(content().string(containsString("value=\".*\\.twilio\\.com$\"")));
		assertThat(tableDump()).isEqualTo(before);
	}

	@Test
	void typeErrorsAreFieldErrorsToo() throws Exception {
		mvc.perform(twilioForm("/admin-settings/trunks", "priority", "high"))
			.andExpect(status().isOk())
			.andExpect(model().attributeHasFieldErrors("trunk", "priority"))
			.andExpect(content().string(containsString("must be a whole number")))
			.andExpect(content().string(containsString("value=\"high\"")));
		assertThat(repository.count()).isZero();
	}

	@Test
	void theFormStoresWhatWasTypedAndTrimsOnlyNumbers() throws Exception {
		mvc.perform(twilioForm("/admin-settings/trunks", "authMethod", "ip_and_digest", "authRealm", "sip.twilio.com",
				"authUser", "twilio", "authPass", "  spaced Pass-991  ", "priority", " 25 "))
			.andExpect(status().is3xxRedirection());
		Trunk saved = repository.findAll().get(0);
		assertThat(saved.getAuthPass()).isEqualTo("  spaced Pass-991  ");
		assertThat(saved.getPriority()).isEqualTo(25);
	}

	@Test
	void editKeepsThePasswordWhenLeftEmptyAndNeverShowsIt() throws Exception {
		Trunk digest = trunk("Digest carrier", 30);
		digest.setIdentifyBy(java.util.Set.of(IdentifyMethod.FROM_DOMAIN));
		digest.setAllowedIps(List.of());
		digest.setFromDomainPattern("^sip\\.carrier\\.example$");
		digest.setAuthMethod(AuthMethod.DIGEST);
		digest.setAuthUser("carrier");
		digest.setAuthPass("Form-Secret-991");
		long id = repository.save(digest).getId();

		mvc.perform(get("/admin-settings/trunks/" + id))
			.andExpect(status().isOk())
			.andExpect(content().string(not(containsString("Form-Secret-991"))))
			.andExpect(content().string(containsString("A password is stored")));

		mvc.perform(post("/admin-settings/trunks/" + id).with(csrf())
			.param("version", "0")
			.param("name", "Digest carrier")
			.param("priority", "31")
			.param("identifyBy", "from_domain")
			.param("fromDomainPattern", "^sip\\.carrier\\.example$")
			.param("authMethod", "digest")
			.param("authUser", "carrier")
			.param("authPass", "")
			.param("srtpMode", "disabled")
			.param("peerNameVerification", "disabled")
			.param("maxConcurrentCalls", "0")
			.param("codecPreferences", "PCMU")).andExpect(redirectedUrl("/admin-settings"));
		Trunk saved = repository.findById(id).orElseThrow();
		assertThat(saved.getPriority()).isEqualTo(31);
		assertThat(saved.getAuthPass()).isEqualTo("Form-Secret-991");
	}

	@Test
	void staleEditIsReportedOnTheForm() throws Exception {
		long id = repository.save(trunk("Carrier", 30)).getId();
		mvc.perform(twilioForm("/admin-settings/trunks/" + id, "version", "7"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("changed by someone else")));
		assertThat(repository.findById(id).orElseThrow().getName()).isEqualTo("Carrier");
	}

	@Test
	void duplicateNameIsShownBesideTheName() throws Exception {
		repository.save(trunk("Twilio production", 30));
		mvc.perform(twilioForm("/admin-settings/trunks"))
			.andExpect(status().isOk())
			.andExpect(model().attributeHasFieldErrors("trunk", "name"))
			.andExpect(content().string(containsString("already exists")));
	}

	@Test
	void disableEnableAndDelete() throws Exception {
		long id = repository.save(trunk("Carrier", 30)).getId();
		mvc.perform(post("/admin-settings/trunks/" + id + "/disable").with(csrf()))
			.andExpect(redirectedUrl("/admin-settings"));
		assertThat(repository.findById(id).orElseThrow().isEnabled()).isFalse();
		mvc.perform(post("/admin-settings/trunks/" + id + "/enable").with(csrf()))
			.andExpect(redirectedUrl("/admin-settings"));
		assertThat(repository.findById(id).orElseThrow().isEnabled()).isTrue();
		mvc.perform(post("/admin-settings/trunks/" + id + "/delete").with(csrf()))
			.andExpect(redirectedUrl("/admin-settings"))
			.andExpect(flash().attribute("message", containsString("deleted")));
		assertThat(repository.existsById(id)).isFalse();
		mvc.perform(get("/admin-settings/trunks/" + id))
			.andExpect(redirectedUrl("/admin-settings"))
			.andExpect(flash().attributeExists("error"));
	}

	static Trunk trunk(String name, int priority) {
		Trunk t = new Trunk();
		t.setName(name);
		t.setPriority(priority);
		t.setIdentifyBy(java.util.Set.of(IdentifyMethod.SOURCE_IP));
		t.setAllowedIps(List.of("192.0.2.0/24"));
		t.setAuthMethod(AuthMethod.IP_ONLY);
		return t;
	}

}
