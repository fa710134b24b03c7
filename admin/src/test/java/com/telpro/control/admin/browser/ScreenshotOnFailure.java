package com.telpro.control.admin.browser;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A failed step leaves a screenshot and the page's HTML under
 * {@code target/browser-screenshots/<class>/<test>.png}. The test class hands over its
 * browser by implementing {@link HasBrowser}.
 */
class ScreenshotOnFailure implements TestWatcher {

	interface HasBrowser {

		Browser browser();

	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		Object test = context.getTestInstance().orElse(null);
		if (test instanceof HasBrowser has && has.browser() != null) {
			Path file = Path.of(System.getProperty("telpro.build.directory", "target"), "browser-screenshots",
					context.getRequiredTestClass().getSimpleName(), context.getRequiredTestMethod().getName() + ".png");
			has.browser().screenshot(file);
			System.err.println("Browser screenshot of the failed step: " + file.toAbsolutePath());
		}
	}

}
