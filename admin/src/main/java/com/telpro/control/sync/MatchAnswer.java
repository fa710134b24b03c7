package com.telpro.control.sync;

import java.util.List;

/**
 * The answer of {@code POST /api/trunks/match}: the trunk that takes the request (or
 * null), every trunk checked before it with the reason it did not match, and what the
 * edge then demands.
 *
 * @param generation the generation evaluated ({@code live}), null for {@code pending} or
 * when none is loaded
 * @param request the facts evaluated (after reading a raw request)
 */
public record MatchAnswer(String state, Long generation, Facts request, TrunkRef trunk, List<Tried> tried,
		List<String> then) {

	public record TrunkRef(long id, String name) {
	}

	public record Tried(String name, int priority, String reason) {
	}

	public record Facts(String sourceIp, String transport, String fromDomain, String userAgent) {
	}

}
