package com.telpro.control.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How the TLS watcher is run: command-line options, each with an environment variable and
 * a default. Options win over the environment.
 *
 * <pre>
 * --redis     TELPRO_TLS_REDIS_URL      redis://127.0.0.1:6379
 * --tls-dir   TELPRO_TLS_DIR            /etc/kamailio/tls
 * --ca-file   TELPRO_TLS_CA_FILE        ca-bundle.pem   (inside --tls-dir; tls.cfg's ca_list)
 * --ctl       TELPRO_TLS_CTL            unix:/run/kamailio/kamailio_ctl
 * --kamcmd    TELPRO_TLS_KAMCMD         kamcmd
 * --interval  TELPRO_TLS_INTERVAL       5 (seconds)
 * --node      TELPRO_TLS_NODE           NODE_NAME (as Kamailio's heartbeat), else the host name
 * --retry-polls TELPRO_TLS_RETRY_POLLS  12 (polls to wait before retrying a failed reload)
 * </pre>
 */
record TlsWatcherSettings(String redisUrl, Path tlsDir, String caFile, String ctlSocket, String kamcmd,
		Duration interval, String node, int retryPolls) {

	private static final Map<String, String> ENV = Map.of("redis", "TELPRO_TLS_REDIS_URL", "tls-dir", "TELPRO_TLS_DIR",
			"ca-file", "TELPRO_TLS_CA_FILE", "ctl", "TELPRO_TLS_CTL", "kamcmd", "TELPRO_TLS_KAMCMD", "interval",
			"TELPRO_TLS_INTERVAL", "node", "TELPRO_TLS_NODE", "retry-polls", "TELPRO_TLS_RETRY_POLLS");

	TlsWatcherSettings {
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("--interval must be at least 1 second");
		}
		if (retryPolls < 1) {
			throw new IllegalArgumentException("--retry-polls must be at least 1");
		}
		if (caFile.contains("/")) {
			throw new IllegalArgumentException("--ca-file is a file name inside --tls-dir");
		}
	}

	Path caPath() {
		return tlsDir.resolve(caFile);
	}

	private static String firstSet(Map<String, String> env, String... names) {
		for (String name : names) {
			if (env.get(name) != null && !env.get(name).isBlank()) {
				return env.get(name);
			}
		}
		return "edge";
	}

	static TlsWatcherSettings parse(String[] args, Map<String, String> env) {
		Map<String, String> options = new HashMap<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--") || !ENV.containsKey(arg.substring(2))) {
				throw new IllegalArgumentException(
						"Unknown option " + arg + "; known: --" + String.join(", --", ENV.keySet()));
			}
			if (i + 1 >= args.length) {
				throw new IllegalArgumentException("Option " + arg + " needs a value");
			}
			options.put(arg.substring(2), args[++i]);
		}
		ENV.forEach((option, variable) -> {
			if (!options.containsKey(option) && env.get(variable) != null && !env.get(variable).isBlank()) {
				options.put(option, env.get(variable));
			}
		});
		String node = options.getOrDefault("node", firstSet(env, "NODE_NAME", "HOSTNAME"));
		return new TlsWatcherSettings(options.getOrDefault("redis", "redis://127.0.0.1:6379"),
				Path.of(options.getOrDefault("tls-dir", "/etc/kamailio/tls")),
				options.getOrDefault("ca-file", "ca-bundle.pem"),
				options.getOrDefault("ctl", "unix:/run/kamailio/kamailio_ctl"),
				options.getOrDefault("kamcmd", "kamcmd"),
				Duration.ofSeconds(Long.parseLong(options.getOrDefault("interval", "5"))), node,
				Integer.parseInt(options.getOrDefault("retry-polls", "12")));
	}

}
