package com.telpro.control.call;

import java.util.List;

/** One page of call records, newest first; {@code hasNext} when an older page exists. */
public record CallPage(List<CallRecord> calls, int page, int size, boolean hasNext) {

	public boolean hasPrevious() {
		return page > 0;
	}

}
