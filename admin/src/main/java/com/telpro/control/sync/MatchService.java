package com.telpro.control.sync;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.telpro.contract.RedisContract;
import com.telpro.control.config.InvalidInputException;
import com.telpro.control.trunk.TrunkRepository;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.validation.BindingResult;
import org.springframework.validation.DirectFieldBindingResult;

/**
 * Answers "which trunk gets this call?" over the live generation (as the edge holds it)
 * or over the trunks as saved (what the next sync would publish), with
 * {@link EdgeMatcher}.
 */
@Service
public class MatchService {

	static final String LIVE = "live";

	static final String PENDING = "pending";

	private static final Pattern VIA = Pattern
		.compile("^SIP\\s*/\\s*2\\.0\\s*/\\s*([A-Za-z]+)\\s+(\\[[^\\]]+\\]|[^;:\\s]+)(?::\\d+)?(.*)$");

	private static final Pattern RECEIVED = Pattern.compile(";\\s*received=([^;\\s]+)", Pattern.CASE_INSENSITIVE);

	private final StringRedisTemplate redis;

	private final ObjectMapper json;

	private final TrunkRepository trunks;

	private final GenerationBuilder builder;

	private final ProxyHeartbeats heartbeats;

	private volatile LiveSet live;

	private final TransactionTemplate readOnly;

	MatchService(StringRedisTemplate redis, ObjectMapper json, TrunkRepository trunks, GenerationBuilder builder,
			ProxyHeartbeats heartbeats, PlatformTransactionManager transactions) {
		this.readOnly = new TransactionTemplate(transactions);
		this.readOnly.setReadOnly(true);
		this.redis = redis;
		this.json = json;
		this.trunks = trunks;
		this.builder = builder;
		this.heartbeats = heartbeats;
	}

	/** The facts of a request after reading the raw request and the explicit fields. */
	record Facts(InetAddress source, String sourceText, String transport, String fromHost, String userAgent,
			X509Certificate certificate) {
	}

	public MatchAnswer explain(MatchRequest request) {
		Facts facts = facts(request);
		String state = request.state() == null || request.state().isBlank() ? LIVE : request.state();
		Long generation = null;
		List<EdgeMatcher.EdgeTrunk> set;
		if (PENDING.equals(state)) {
			// only the saved state needs PostgreSQL (lazy trunk collections: one
			// read-only transaction)
			set = EdgeMatcher.load(readOnly.execute(status -> pendingTrunks()), Map.of());
		}
		else {
			String pointer = readRedis(RedisContract.GENERATION);
			if (pointer == null) {
				return new MatchAnswer(state, null, shown(facts), null, List.of(),
						List.of("no generation is live: the edge answers 503 (not_loaded) until the first sync"));
			}
			generation = Long.parseLong(pointer.trim());
			set = liveSet(generation);
		}
		EdgeMatcher.Outcome outcome = EdgeMatcher.match(set,
				new EdgeMatcher.Caller(facts.source(), facts.sourceText(), facts.fromHost(), facts.userAgent()));
		List<MatchAnswer.Tried> tried = outcome.tried()
			.stream()
			.map(m -> new MatchAnswer.Tried(m.trunk().name(), m.trunk().priority(), m.reason()))
			.toList();
		if (outcome.trunk() == null) {
			return new MatchAnswer(state, generation, shown(facts), null, tried,
					List.of("no trunk matches: the edge answers 403 (no_match)"));
		}
		EdgeMatcher.EdgeTrunk t = outcome.trunk();
		return new MatchAnswer(state, generation, shown(facts), new MatchAnswer.TrunkRef(t.id(), t.name()), tried,
				TrunkDemands.of(t.json(), facts));
	}

	/**
	 * The live set, parsed and its patterns compiled once per generation (and edge
	 * refusals).
	 */
	private List<EdgeMatcher.EdgeTrunk> liveSet(long generation) {
		Map<String, String> refused = refusedByEdges(generation);
		LiveSet cached = live;
		if (cached != null && cached.generation() == generation && cached.refused().equals(refused)) {
			return cached.trunks();
		}
		String document = readRedis(RedisContract.document(generation));
		List<EdgeMatcher.EdgeTrunk> trunks = EdgeMatcher.load(liveTrunks(document), refused);
		live = new LiveSet(generation, refused, trunks);
		return trunks;
	}

	private record LiveSet(long generation, Map<String, String> refused, List<EdgeMatcher.EdgeTrunk> trunks) {
	}

	private static MatchAnswer.Facts shown(Facts f) {
		return new MatchAnswer.Facts(f.sourceText(), f.transport(), f.fromHost(), f.userAgent());
	}

	private String readRedis(String key) {
		try {
			return redis.opsForValue().get(key);
		}
		catch (RuntimeException ex) {
			if (RedisFailures.isRedisFailure(ex)) {
				throw new SyncFailedException("Live generation unavailable",
						RedisFailures.describe(ex) + "; ask with state=pending to check the saved trunks", ex);
			}
			throw ex;
		}
	}

	private JsonNode liveTrunks(String document) {
		if (document == null) {
			return json.createArrayNode();
		}
		try {
			JsonNode trunksNode = json.readTree(document).path("trunks");
			return trunksNode.isArray() ? trunksNode : json.createArrayNode();
		}
		catch (Exception ex) {
			return json.createArrayNode();
		}
	}

	private JsonNode pendingTrunks() {
		GenerationDocument document = builder.build(trunks.findAllByEnabledTrueOrderByPriorityAscNameAsc());
		ArrayNode array = json.createArrayNode();
		for (PublishedTrunk t : document.trunks()) {
			try {
				array.add(json.readTree(t.json()));
			}
			catch (java.io.IOException ex) {
				throw new IllegalStateException("a published trunk is not JSON", ex);
			}
		}
		return array;
	}

	/** Trunks an edge running this generation reported it could not load, by name. */
	private Map<String, String> refusedByEdges(long generation) {
		Map<String, String> refused = new HashMap<>();
		try {
			for (ProxyHeartbeat beat : heartbeats.all()) {
				if (beat.generation() == generation) {
					beat.refused().forEach(r -> {
						if (r.name() != null) {
							refused.putIfAbsent(r.name(), r.reason());
						}
					});
				}
			}
		}
		catch (RuntimeException ex) {
			if (!RedisFailures.isRedisFailure(ex)) {
				throw ex;
			}
		}
		return refused;
	}

	// ------------------------------------------------------------------ the request's
	// facts

	Facts facts(MatchRequest r) {
		BindingResult errors = new DirectFieldBindingResult(r, "match");
		String state = r.state();
		if (state != null && !state.isBlank() && !LIVE.equals(state) && !PENDING.equals(state)) {
			errors.rejectValue("state", "invalid", "must be live or pending");
		}
		Raw raw = Raw.parse(r.rawRequest());
		if (r.rawRequest() != null && !r.rawRequest().isBlank() && raw == null) {
			errors.rejectValue("rawRequest", "invalid", "is not a SIP request (request line and headers)");
		}
		String sourceText = firstNonBlank(r.sourceIp(), raw == null ? null : raw.source());
		InetAddress source = null;
		if (sourceText == null) {
			errors.rejectValue("sourceIp", "required", "is required (or a raw_request whose top Via names it)");
		}
		else {
			source = ipLiteral(sourceText.strip());
			if (source == null) {
				errors.rejectValue("sourceIp", "invalid", "is not an IPv4 or IPv6 address");
			}
		}
		String transport = firstNonBlank(r.transport(), raw == null ? null : raw.transport());
		transport = transport == null ? "udp" : transport.strip().toLowerCase(Locale.ROOT);
		if (!List.of("udp", "tcp", "tls").contains(transport)) {
			errors.rejectValue("transport", "invalid", "must be udp, tcp or tls");
		}
		String from = firstNonBlank(r.fromUri(), raw == null ? null : raw.from());
		String fromHost = EdgeMatcher.fromHost(from);
		if (from != null && fromHost == null) {
			errors.rejectValue("fromUri", "invalid", "is not a SIP URI with a host");
		}
		String userAgent = r.userAgent() != null ? r.userAgent() : raw == null ? null : raw.userAgent();
		X509Certificate certificate = null;
		if (r.tlsClientCertPem() != null && !r.tlsClientCertPem().isBlank()) {
			certificate = certificate(r.tlsClientCertPem());
			if (certificate == null) {
				errors.rejectValue("tlsClientCertPem", "invalid", "is not a PEM certificate");
			}
		}
		if (errors.hasErrors()) {
			throw new InvalidInputException(errors);
		}
		return new Facts(source, sourceText.strip(), transport, fromHost, userAgent == null ? null : userAgent.strip(),
				certificate);
	}

	private static String firstNonBlank(String a, String b) {
		if (a != null && !a.isBlank()) {
			return a;
		}
		return b == null || b.isBlank() ? null : b;
	}

	/**
	 * An IP literal (never a name lookup); an IPv4-mapped IPv6 address stays IPv6, as the
	 * edge sees it.
	 */
	static InetAddress ipLiteral(String text) {
		String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
		boolean v6 = s.indexOf(':') >= 0;
		if (!v6 && !s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
			return null;
		}
		if (v6 && !s.matches("[0-9A-Fa-f:.]+")) {
			return null;
		}
		try {
			InetAddress address = InetAddress.getByName(s);
			if (v6 && address.getAddress().length == 4) {
				byte[] mapped = new byte[16];
				mapped[10] = (byte) 0xff;
				mapped[11] = (byte) 0xff;
				System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
				return InetAddress.getByAddress(mapped);
			}
			return address;
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private static X509Certificate certificate(String pem) {
		try {
			return (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(pem.strip().getBytes(StandardCharsets.US_ASCII)));
		}
		catch (CertificateException | ClassCastException | IllegalArgumentException ex) {
			return null;
		}
	}

	static String commonName(X509Certificate certificate) {
		try {
			for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
				if (rdn.getType().equalsIgnoreCase("CN")) {
					return String.valueOf(rdn.getValue());
				}
			}
		}
		catch (Exception ex) {
			return null;
		}
		return null;
	}

	/** What a pasted request says: top Via (transport, source), From, User-Agent. */
	record Raw(String transport, String source, String from, String userAgent) {

		static Raw parse(String text) {
			if (text == null || text.isBlank()) {
				return null;
			}
			String[] lines = text.replace("\r\n", "\n").split("\n");
			if (!lines[0].strip().matches("[A-Za-z]+ \\S+ SIP/2\\.0")) {
				return null;
			}
			String via = null;
			String from = null;
			String ua = null;
			for (int i = 1; i < lines.length; i++) {
				String line = lines[i];
				if (line.isBlank()) {
					break;
				}
				int colon = line.indexOf(':');
				if (colon <= 0) {
					continue;
				}
				String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
				String value = line.substring(colon + 1).strip();
				if ((name.equals("via") || name.equals("v")) && via == null) {
					via = value.split(",")[0].strip();
				}
				else if ((name.equals("from") || name.equals("f")) && from == null) {
					from = value;
				}
				else if (name.equals("user-agent") && ua == null) {
					ua = value;
				}
			}
			String transport = null;
			String source = null;
			if (via != null) {
				Matcher m = VIA.matcher(via);
				if (m.matches()) {
					transport = m.group(1).toLowerCase(Locale.ROOT);
					source = m.group(2);
					Matcher received = RECEIVED.matcher(m.group(3));
					if (received.find()) {
						source = received.group(1);
					}
				}
			}
			return new Raw(transport, source, from, ua);
		}

	}

}
