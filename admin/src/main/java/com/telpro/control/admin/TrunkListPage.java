package com.telpro.control.admin;

import java.util.List;
import java.util.Set;

import com.telpro.control.trunk.TrunkResponse;
import com.telpro.control.trunk.TrunkSearch;
import org.springframework.data.domain.Page;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What the trunk list shows around its rows: the search as entered, the page, the
 * unsynced marks, and the links that keep the search while sorting or paging.
 */
record TrunkListPage(TrunkSearch search, Page<TrunkResponse> page, Set<Long> unsynced) {

	static final int DEFAULT_SIZE = 50;

	static final List<Integer> SIZES = List.of(25, 50, 100, 200);

	static int size(int asked) {
		return SIZES.contains(asked) ? asked : DEFAULT_SIZE;
	}

	public List<Integer> sizes() {
		return SIZES;
	}

	public boolean filtered() {
		return hasText(search.text()) || search.enabled() != null || hasText(search.authMethod())
				|| hasText(search.tlsMode()) || search.internal() != null;
	}

	public boolean isUnsynced(long id) {
		return unsynced.contains(id);
	}

	/** "51–100 of 2,000". */
	public long first() {
		return page.getTotalElements() == 0 ? 0 : page.getNumber() * (long) page.getSize() + 1;
	}

	public long last() {
		return page.getNumber() * (long) page.getSize() + page.getNumberOfElements();
	}

	/** The link of another page with the same search and sort. */
	public String pageUrl(int number) {
		return link(search.sort(), search.descending(), number);
	}

	/** The column header's link: sorts by it, ascending first, then the other way. */
	public String sortUrl(String by) {
		boolean descending = by.equals(search.sort()) && !search.descending();
		return link(by, descending, 0);
	}

	/** "ascending", "descending" or "none", for aria-sort. */
	public String sortState(String by) {
		if (!by.equals(search.sort())) {
			return "none";
		}
		return search.descending() ? "descending" : "ascending";
	}

	private String link(String sort, boolean descending, int number) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromPath(TrunkAdminController.LIST);
		param(uri, "q", search.text());
		param(uri, "enabled", search.enabled());
		param(uri, "auth", search.authMethod());
		param(uri, "tls", search.tlsMode());
		param(uri, "internal", search.internal());
		if (!"priority".equals(sort) || descending) {
			uri.queryParam("sort", sort);
		}
		if (descending) {
			uri.queryParam("dir", "desc");
		}
		if (number > 0) {
			uri.queryParam("page", number);
		}
		if (page.getSize() != DEFAULT_SIZE) {
			uri.queryParam("size", page.getSize());
		}
		return uri.build().encode().toUriString();
	}

	private static void param(UriComponentsBuilder uri, String name, Object value) {
		if (value != null && !value.toString().isBlank()) {
			uri.queryParam(name, value);
		}
	}

	private static boolean hasText(String text) {
		return text != null && !text.isBlank();
	}

}
