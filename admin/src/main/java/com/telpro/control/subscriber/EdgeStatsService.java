package com.telpro.control.subscriber;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.telpro.control.subscriber.KamailioRpcClient.RpcException;
import com.telpro.control.trunk.TrunkResponse;
import com.telpro.control.trunk.TrunkService;
import org.springframework.stereotype.Service;

/**
 * The statistics panel: registered contacts, requests processed, active dialogs per trunk
 * and shared memory, read live from Kamailio over JSON-RPC (nothing cached).
 */
@Service
public class EdgeStatsService {

	/** The dialog profile kamailio.cfg counts each trunk's concurrent calls in. */
	static final String TRUNK_PROFILE = "trunk_calls";

	private final KamailioRpcClient rpc;

	private final TrunkService trunks;

	private final Clock clock;

	EdgeStatsService(KamailioRpcClient rpc, TrunkService trunks) {
		this.rpc = rpc;
		this.trunks = trunks;
		this.clock = Clock.systemUTC();
	}

	public EdgeStats current() {
		Instant now = clock.instant();
		try {
			Map<String, Long> stats = parse(rpc.call("stats.get_statistics", "all"));
			long uptime = rpc.call("core.uptime").path("uptime").asLong();
			Map<String, Long> perTrunk = new LinkedHashMap<>();
			for (TrunkResponse trunk : trunks.list()) {
				perTrunk.put(trunk.name(), 0L);
			}
			countByTrunk(rpc.call("dlg.profile_list", TRUNK_PROFILE)).forEach(perTrunk::put);
			return new EdgeStats(true, null, now, uptime, stat(stats, "usrloc:registered_users"),
					stat(stats, "usrloc:location_contacts"), stat(stats, "registrar:accepted_regs"),
					stat(stats, "registrar:rejected_regs"), stat(stats, "core:rcv_requests"),
					stat(stats, "core:fwd_requests"), stat(stats, "sl:sent_replies"),
					stat(stats, "dialog:active_dialogs"), perTrunk, stat(stats, "shmem:real_used_size"),
					stat(stats, "shmem:total_size"));
		}
		catch (RpcException ex) {
			return EdgeStats.unreachable(ex.getMessage(), now);
		}
	}

	/**
	 * Dialogs of {@code dlg.profile_list trunk_calls}, counted by the profile's value
	 * (the trunk name). One dialog comes back as an object, several as an array.
	 */
	static Map<String, Long> countByTrunk(JsonNode dialogs) {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (JsonNode dialog : dialogs.isObject() ? List.of(dialogs) : dialogs) {
			for (JsonNode profile : dialog.path("profiles")) {
				JsonNode trunk = profile.get(TRUNK_PROFILE);
				if (trunk != null && trunk.isTextual()) {
					counts.merge(trunk.asText(), 1L, Long::sum);
				}
			}
		}
		return counts;
	}

	/**
	 * {@code ["core:rcv_requests = 159", ...]} into a map; values that are not numbers
	 * are skipped.
	 */
	static Map<String, Long> parse(JsonNode lines) {
		Map<String, Long> stats = new HashMap<>();
		for (JsonNode line : lines) {
			String text = line.asText();
			int eq = text.indexOf(" = ");
			if (eq > 0) {
				try {
					stats.put(text.substring(0, eq).trim(), Long.parseLong(text.substring(eq + 3).trim()));
				}
				catch (NumberFormatException ignored) {
					// not a counter
				}
			}
		}
		return stats;
	}

	private static long stat(Map<String, Long> stats, String name) {
		return stats.getOrDefault(name, 0L);
	}

}
