package com.telpro.control.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a bounded time runs out; every wait in the tests
 * has a limit.
 */
public final class Await {

	private static final long POLL_MILLIS = 50;

	private Await() {
	}

	public static void until(BooleanSupplier condition, Duration limit) {
		until(condition, limit, () -> "");
	}

	/**
	 * @param context what to add to the failure message, read only when the wait fails
	 */
	public static void until(BooleanSupplier condition, Duration limit, Supplier<String> context) {
		long deadline = System.nanoTime() + limit.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				String extra = context.get();
				throw new AssertionError("condition not met within " + limit + (extra.isEmpty() ? "" : "\n" + extra));
			}
			try {
				Thread.sleep(POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

}
