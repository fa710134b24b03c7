package com.telpro.control.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.telpro.contract.Certificates;
import com.telpro.contract.PemBlock;
import com.telpro.contract.RedisContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS watcher beside Kamailio: every interval it reads the CA bundle's hash from
 * Redis and, when it differs from the material in force, fetches the bundle, checks that
 * every PEM block is an X.509 certificate and that the bytes match the hash, writes it
 * atomically into Kamailio's TLS folder and runs {@code kamcmd tls.reload}. Bad material
 * never replaces good: a bundle that does not parse is not written, and a reload that
 * fails (or after which Kamailio does not answer {@code tls.info}) puts the previous file
 * back. Because {@code tls.reload} has leaked memory and crashed when called often
 * (kamailio #3305, #3319, #3823), it runs only when the content hash changed, at most
 * once per poll, a failed hash is retried only after {@code retryPolls} polls, and shared
 * memory is logged before and after every reload.
 *
 * <p>
 * A plain program, not the web application:
 * {@code java -jar tls-watcher/target/tls-watcher-exec.jar --redis redis://127.0.0.1:6379
 * --tls-dir kamailio/tls --ctl unix:/run/kamailio/kamailio_ctl --interval 5} (see
 * {@link TlsWatcherSettings} for every option and its environment variable).
 */
public final class TlsWatcher implements AutoCloseable {

	/** What one poll did; tests and the status key read it. */
	enum Outcome {

		/** Redis holds no TLS material yet: nothing to do. */
		NOTHING_PUBLISHED,
		/** The published hash is the one in force. */
		UNCHANGED,
		/**
		 * The bundle's bytes do not match the hash (read during a write): read again next
		 * poll.
		 */
		INCOMPLETE,
		/** The bundle holds no certificate: the current file stays. */
		EMPTY,
		/**
		 * A PEM block is not an X.509 certificate: not written, the current file stays.
		 */
		REJECTED,
		/** Written and reloaded; Kamailio answered afterwards. */
		APPLIED,
		/** The reload failed: the previous file was put back. */
		RELOAD_FAILED,
		/** A reload of this hash failed a moment ago: waiting before the next try. */
		WAITING_TO_RETRY,
		/** Redis did not answer: the current file stays. */
		REDIS_UNAVAILABLE,
		/**
		 * Kamailio did not answer on its control socket: the checked bundle was written
		 * for it to load when it starts; once it answers, it is reloaded unless it
		 * started after the write.
		 */
		WRITTEN_AWAITING_KAMAILIO

	}

	private final Logger log = LoggerFactory.getLogger(TlsWatcher.class);

	private final ObjectMapper json = new ObjectMapper();

	private final TlsWatcherSettings settings;

	private final Kamcmd kamcmd;

	private final RedisClient client;

	private StatefulRedisConnection<String, String> connection;

	/**
	 * SHA-256 of the bundle in force (the file Kamailio loaded), null when there is none.
	 */
	private String appliedSha256;

	/** The last hash that was rejected or failed, so a poll does not log it again. */
	private String badSha256;

	private int pollsUntilRetry;

	/**
	 * The file holds {@link #appliedSha256} but Kamailio was not answering when it was
	 * written.
	 */
	private boolean awaitingKamailio;

	private Instant writtenAt;

	private Outcome lastOutcome;

	private String lastMessage = "";

	private Instant reloadedAt;

	private Long shmBefore;

	private Long shmAfter;

	TlsWatcher(TlsWatcherSettings settings) {
		this.settings = settings;
		this.kamcmd = new Kamcmd(settings.kamcmd(), settings.ctlSocket());
		RedisURI uri = RedisURI.create(settings.redisUrl());
		uri.setTimeout(Duration.ofSeconds(2));
		this.client = RedisClient.create(uri);
		this.appliedSha256 = currentFileSha256();
	}

	public static void main(String[] args) throws InterruptedException {
		if (System.getProperty("logback.configurationFile") == null) {
			System.setProperty("logback.configurationFile", "tls-watcher-logback.xml");
		}
		TlsWatcherSettings settings;
		try {
			settings = TlsWatcherSettings.parse(args, System.getenv());
		}
		catch (IllegalArgumentException ex) {
			System.err.println("tls-watcher: " + ex.getMessage());
			System.exit(2);
			return;
		}
		CountDownLatch stopped = new CountDownLatch(1);
		try (TlsWatcher watcher = new TlsWatcher(settings)) {
			Thread main = Thread.currentThread();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				main.interrupt();
				try {
					stopped.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "tls-watcher-stop"));
			watcher.run();
		}
		finally {
			stopped.countDown();
		}
	}

	/** Polls every interval until interrupted; one poll never overlaps the next. */
	void run() {
		log.info("TLS watcher started: node {}, Redis {}, CA bundle {}, ctl {}, every {} s; material in force: {}",
				settings.node(), redacted(settings.redisUrl()), settings.caPath(), settings.ctlSocket(),
				settings.interval().toSeconds(), appliedSha256 == null ? "none" : appliedSha256);
		while (!Thread.currentThread().isInterrupted()) {
			try {
				pollOnce();
			}
			catch (RuntimeException ex) {
				log.error("TLS watcher poll failed; the material in force stays", ex);
			}
			try {
				Thread.sleep(settings.interval().toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		log.info("TLS watcher stopped");
	}

	/** One poll: at most one {@code tls.reload}. */
	Outcome pollOnce() {
		Outcome outcome = poll();
		lastOutcome = outcome;
		writeStatus();
		return outcome;
	}

	private Outcome poll() {
		String published;
		String bundle = null;
		try {
			published = redis().get(RedisContract.TLS_CA_BUNDLE_SHA256);
			if (published != null && !published.equals(appliedSha256)) {
				bundle = redis().get(RedisContract.TLS_CA_BUNDLE);
			}
		}
		catch (RedisException ex) {
			return note(Outcome.REDIS_UNAVAILABLE,
					"Redis did not answer (" + oneLine(ex.getMessage()) + "); the material in force stays", false);
		}
		if (published == null) {
			return note(Outcome.NOTHING_PUBLISHED, "no TLS material published yet", false);
		}
		if (published.equals(appliedSha256) && awaitingKamailio) {
			return confirmWithKamailio(published);
		}
		if (published.equals(appliedSha256)) {
			badSha256 = null;
			return note(Outcome.UNCHANGED, "material " + published + " in force", false);
		}
		if (published.equals(badSha256) && pollsUntilRetry > 0) {
			pollsUntilRetry--;
			return Outcome.WAITING_TO_RETRY;
		}
		if (bundle == null || !Certificates.sha256Hex(bundle).equals(published)) {
			return note(Outcome.INCOMPLETE, "CA bundle does not match its hash " + published + " yet", false);
		}
		List<byte[]> certificates;
		try {
			certificates = certificates(bundle);
		}
		catch (IllegalArgumentException ex) {
			return bad(published, Outcome.REJECTED,
					"CA bundle " + published + " rejected (" + ex.getMessage() + "); the material in force stays");
		}
		if (certificates.isEmpty()) {
			// No trunk has a CA yet: the normal state of a new install, so INFO, not
			// ERROR.
			return noCaYet(published);
		}
		return apply(published, bundle.getBytes(StandardCharsets.UTF_8), certificates.size());
	}

	private Outcome apply(String sha256, byte[] content, int count) {
		Path target = settings.caPath();
		byte[] previous;
		try {
			previous = Files.exists(target) ? Files.readAllBytes(target) : null;
		}
		catch (IOException ex) {
			return bad(sha256, Outcome.RELOAD_FAILED, "cannot read " + target + ": " + ex.getMessage());
		}
		OptionalLong before = kamcmd.sharedMemoryUsed();
		try {
			writeAtomically(target, content);
		}
		catch (IOException ex) {
			return bad(sha256, Outcome.RELOAD_FAILED,
					"cannot write " + target + " (" + ex.getMessage() + "); the material in force stays");
		}
		if (before.isEmpty() && !kamcmd.run("core.uptime").ok()) {
			// Not running (yet): it reads the checked file when it starts; no reload to
			// make now.
			appliedSha256 = sha256;
			badSha256 = null;
			awaitingKamailio = true;
			writtenAt = Instant.now();
			return note(Outcome.WRITTEN_AWAITING_KAMAILIO, "Kamailio does not answer on " + settings.ctlSocket()
					+ ": CA bundle " + sha256 + " (" + count + " certificates) written for it to load when it starts",
					true);
		}
		awaitingKamailio = false;
		Kamcmd.Answer reload = kamcmd.run("tls.reload");
		Kamcmd.Answer info = reload.ok() ? kamcmd.run("tls.info") : null;
		if (!reload.ok() || !info.ok()) {
			String why = !reload.ok() ? "tls.reload failed: " + reload.summary()
					: "Kamailio did not answer tls.info after tls.reload: " + info.summary();
			try {
				restore(target, previous);
			}
			catch (IOException ex) {
				log.error("Could not put the previous CA bundle back in {}: {}", target, ex.getMessage());
			}
			return bad(sha256, Outcome.RELOAD_FAILED, "CA bundle " + sha256 + " not applied, " + why
					+ "; the previous file is back in place, retry in " + settings.retryPolls() + " polls");
		}
		OptionalLong after = kamcmd.sharedMemoryUsed();
		appliedSha256 = sha256;
		badSha256 = null;
		reloadedAt = Instant.now();
		shmBefore = before.isPresent() ? before.getAsLong() : null;
		shmAfter = after.isPresent() ? after.getAsLong() : null;
		String shm = before.isPresent() && after.isPresent()
				? "shm real_used " + shmBefore + " -> " + shmAfter + " bytes (" + signed(shmAfter - shmBefore) + ")"
				: "shm real_used unknown (core.shmmem did not answer)";
		return note(Outcome.APPLIED, "CA bundle " + sha256 + " (" + count + " certificate" + (count == 1 ? "" : "s")
				+ ") in force after tls.reload; " + shm + "; tls.info: " + info.summary(), true);
	}

	/**
	 * The file was written while Kamailio did not answer. Once it answers: if it started
	 * after the write it loaded the file itself; otherwise one reload makes it take the
	 * file.
	 */
	private Outcome confirmWithKamailio(String sha256) {
		Kamcmd.Answer uptime = kamcmd.run("core.uptime");
		if (!uptime.ok()) {
			lastMessage = "Kamailio still does not answer; CA bundle " + sha256 + " waits in " + settings.caPath();
			return Outcome.WRITTEN_AWAITING_KAMAILIO;
		}
		java.util.regex.Matcher seconds = java.util.regex.Pattern.compile("(?m)^\\s*uptime:\\s*(\\d+)")
			.matcher(uptime.output());
		if (seconds.find()
				&& Instant.now().minusSeconds(Long.parseLong(seconds.group(1))).isAfter(writtenAt.minusSeconds(1))) {
			awaitingKamailio = false;
			return note(Outcome.APPLIED, "Kamailio started after CA bundle " + sha256 + " was written: in force", true);
		}
		if (sha256.equals(badSha256) && pollsUntilRetry > 0) {
			pollsUntilRetry--;
			return Outcome.WAITING_TO_RETRY;
		}
		Kamcmd.Answer reload = kamcmd.run("tls.reload");
		if (!reload.ok()) {
			return bad(sha256, Outcome.RELOAD_FAILED, "CA bundle " + sha256 + " is in " + settings.caPath()
					+ " but tls.reload failed: " + reload.summary() + "; retry in " + settings.retryPolls() + " polls");
		}
		awaitingKamailio = false;
		badSha256 = null;
		reloadedAt = Instant.now();
		return note(Outcome.APPLIED, "CA bundle " + sha256 + " in force after tls.reload (Kamailio answers again)",
				true);
	}

	/** Every block must be an X.509 certificate; returns their DER. */
	static List<byte[]> certificates(String bundle) {
		if (bundle.isBlank()) {
			return List.of();
		}
		List<PemBlock> blocks = PemBlock.parseAll(bundle);
		for (int i = 0; i < blocks.size(); i++) {
			if (!"CERTIFICATE".equals(blocks.get(i).type())) {
				throw new IllegalArgumentException(
						"PEM block " + (i + 1) + " is a " + blocks.get(i).type() + ", not a CERTIFICATE");
			}
			try {
				Certificates.parse(blocks.get(i).der());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("PEM block " + (i + 1) + " " + ex.getMessage());
			}
		}
		return blocks.stream().map(PemBlock::der).toList();
	}

	/** Temp file in the same folder, fsync, rename over the target, fsync the folder. */
	static void writeAtomically(Path target, byte[] content) throws IOException {
		Path dir = target.toAbsolutePath().getParent();
		Files.createDirectories(dir);
		Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
		try {
			try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				ByteBuffer buffer = ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			try {
				Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
			}
			catch (UnsupportedOperationException ignored) {
				// not POSIX: the folder's permissions apply
			}
			try {
				Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
			}
			try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
				folder.force(true);
			}
			catch (IOException ignored) {
				// some file systems cannot fsync a folder; the rename is still atomic
			}
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	private static void restore(Path target, byte[] previous) throws IOException {
		if (previous == null) {
			Files.deleteIfExists(target);
		}
		else {
			writeAtomically(target, previous);
		}
	}

	private Outcome bad(String sha256, Outcome outcome, String message) {
		boolean fresh = !sha256.equals(badSha256);
		badSha256 = sha256;
		pollsUntilRetry = settings.retryPolls();
		if (fresh || outcome == Outcome.RELOAD_FAILED) {
			log.error(message);
		}
		lastMessage = message;
		return outcome;
	}

	private Outcome noCaYet(String sha256) {
		String message = "CA bundle " + sha256 + " holds no certificate (no enabled trunk has a CA); the material "
				+ "in force stays";
		if (!sha256.equals(badSha256)) {
			log.info(message);
		}
		badSha256 = sha256;
		pollsUntilRetry = settings.retryPolls();
		lastMessage = message;
		return Outcome.EMPTY;
	}

	private Outcome note(Outcome outcome, String message, boolean important) {
		if (important || outcome != lastOutcome) {
			if (outcome == Outcome.REDIS_UNAVAILABLE) {
				log.warn(message);
			}
			else {
				log.info(message);
			}
		}
		lastMessage = message;
		return outcome;
	}

	/**
	 * {@code telpro:v1:tls:watcher:<node>}: what this watcher last did, for the admin
	 * service.
	 */
	private void writeStatus() {
		if (lastOutcome == Outcome.REDIS_UNAVAILABLE) {
			return;
		}
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("node", settings.node());
		status.put("applied_sha256", appliedSha256);
		status.put("outcome", lastOutcome.name().toLowerCase(java.util.Locale.ROOT));
		status.put("message", lastMessage);
		status.put("reloaded_at", reloadedAt == null ? null : reloadedAt.toString());
		status.put("shm_real_used_before", shmBefore);
		status.put("shm_real_used_after", shmAfter);
		status.put("seen_at", Instant.now().toString());
		try {
			redis().setex(RedisContract.TLS_WATCHER_PREFIX + settings.node(),
					Math.max(15, 3 * settings.interval().toSeconds()), json.writeValueAsString(status));
		}
		catch (RedisException | JsonProcessingException ex) {
			log.debug("TLS watcher status not written: {}", ex.getMessage());
		}
	}

	private io.lettuce.core.api.sync.RedisCommands<String, String> redis() {
		if (connection == null || !connection.isOpen()) {
			connection = client.connect();
		}
		return connection.sync();
	}

	private String currentFileSha256() {
		try {
			Path file = settings.caPath();
			return Files.exists(file) ? Certificates.sha256Hex(Files.readAllBytes(file)) : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	String appliedSha256() {
		return appliedSha256;
	}

	private static String signed(long value) {
		return (value >= 0 ? "+" : "") + value;
	}

	private static String oneLine(String text) {
		return text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
	}

	private static String redacted(String redisUrl) {
		return redisUrl.replaceAll("//[^@/]*@", "//***@");
	}

	@Override
	public void close() {
		if (connection != null) {
			connection.close();
		}
		client.shutdown();
	}

}
