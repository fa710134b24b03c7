package com.telpro.control.subscriber;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The sources the edge refused for matching no trunk, most requests first: the edge keeps
 * at most 100, each for an hour after its last request, and hands them out over JSON-RPC
 * ({@code htable.dump ["unmatched"]}).
 */
@Service
public class UnmatchedSourceService {

	private static final Logger log = LoggerFactory.getLogger(UnmatchedSourceService.class);

	private final KamailioRpcClient rpc;

	UnmatchedSourceService(KamailioRpcClient rpc) {
		this.rpc = rpc;
	}

	/**
	 * Empty when the edge cannot be asked (logged): the list is a hint, never a reason to
	 * fail a page.
	 */
	public List<UnmatchedSource> list() {
		JsonNode result;
		try {
			result = rpc.call("htable.dump", "unmatched");
		}
		catch (KamailioRpcClient.RpcException ex) {
			log.debug("Unmatched sources unavailable: {}", ex.getMessage());
			return List.of();
		}
		List<UnmatchedSource> sources = new ArrayList<>();
		collect(result, sources);
		sources.sort(
				Comparator.comparingLong(UnmatchedSource::requests).reversed().thenComparing(UnmatchedSource::address));
		return sources;
	}

	/**
	 * htable.dump answers slots holding {name, value} items; walk whatever nesting this
	 * version uses.
	 */
	private static void collect(JsonNode node, List<UnmatchedSource> out) {
		if (node.isObject() && node.hasNonNull("name") && node.has("value")) {
			String key = node.path("name").asText();
			int bar = key.indexOf('|');
			if (bar > 0) {
				out.add(new UnmatchedSource(key.substring(0, bar), key.substring(bar + 1),
						node.path("value").asLong()));
			}
			return;
		}
		node.forEach(child -> collect(child, out));
	}

}
