package com.telpro.control.admin.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian chromium, driven through Debian's chromedriver (both installed by
 * kamailio/install-packages.sh; never downloaded: Selenium Manager is not asked), for one
 * test class. Small helpers for what an operator does: log in, open a page, fill a field,
 * press a button.
 */
final class Browser implements AutoCloseable {

	static final Path CHROMIUM = Path.of(System.getProperty("telpro.chromium", "/usr/bin/chromium"));

	static final Path CHROMEDRIVER = Path.of(System.getProperty("telpro.chromedriver", "/usr/bin/chromedriver"));

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final String base;

	private final Path profile;

	private final ChromeDriver driver;

	Browser(int port) {
		this.base = "http://127.0.0.1:" + port;
		try {
			this.profile = Files.createTempDirectory("telpro-chromium-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		// Root in a container: no sandbox; nothing may reach another host (no updates, no
		// sync, no QUIC probing).
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--disable-extensions", "--password-store=basic", "--window-size=1280,900",
				"--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
		driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
	}

	ChromeDriver driver() {
		return driver;
	}

	String base() {
		return base;
	}

	void open(String path) {
		driver.get(base + path);
	}

	String path() {
		String url = driver.getCurrentUrl();
		return url.startsWith(base) ? url.substring(base.length()) : url;
	}

	void login(String user, String password) {
		driver.manage().deleteAllCookies();
		open("/login");
		type(By.id("username"), user);
		type(By.id("password"), password);
		click(By.cssSelector("form button[type=submit]"));
		waitUntil(() -> !path().startsWith("/login"));
	}

	/**
	 * Logs in on the login page the browser is on now (after a redirect), without leaving
	 * it first.
	 */
	void loginHere(String user, String password) {
		waitUntil(() -> path().startsWith("/login"));
		type(By.id("username"), user);
		type(By.id("password"), password);
		click(By.cssSelector("form button[type=submit]"));
	}

	WebElement find(By by) {
		return waiting().until(d -> d.findElement(by));
	}

	/** Waits that tolerate the page being replaced under them (a form's redirect). */
	private WebDriverWait waiting() {
		WebDriverWait wait = new WebDriverWait(driver, WAIT);
		wait.ignoring(StaleElementReferenceException.class);
		return wait;
	}

	List<WebElement> all(By by) {
		return driver.findElements(by);
	}

	boolean present(By by) {
		return !driver.findElements(by).isEmpty();
	}

	void type(By by, String text) {
		WebElement field = find(by);
		field.clear();
		field.sendKeys(text);
	}

	/**
	 * A form field by its name: text, textarea, select (by option value) or checkbox
	 * ("true"/"false").
	 */
	void set(String name, String value) {
		WebElement field = find(By.name(name));
		switch (field.getTagName()) {
			case "select" -> new Select(field).selectByValue(value);
			case "input" -> {
				String type = field.getAttribute("type");
				if ("checkbox".equals(type)) {
					check(field, Boolean.parseBoolean(value));
				}
				else {
					field.clear();
					field.sendKeys(value);
				}
			}
			default -> {
				field.clear();
				field.sendKeys(value);
			}
		}
	}

	/**
	 * Pastes a long text (a PEM) into a field at once, as a paste would, instead of
	 * typing it.
	 */
	void paste(String name, String text) {
		WebElement field = find(By.name(name));
		js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", field,
				text);
	}

	/** Selects an option of a select by its visible text's beginning. */
	void selectStartingWith(String name, String text) {
		Select select = new Select(find(By.name(name)));
		for (WebElement option : select.getOptions()) {
			if (option.getText().startsWith(text)) {
				select.selectByVisibleText(option.getText());
				return;
			}
		}
		throw new AssertionError("no option of " + name + " starts with " + text);
	}

	/** Checks exactly the given values of a checkbox group. */
	void choose(String name, String... values) {
		List<String> wanted = List.of(values);
		for (WebElement box : all(By.name(name))) {
			if ("checkbox".equals(box.getAttribute("type"))) {
				check(box, wanted.contains(box.getAttribute("value")));
			}
		}
	}

	private void check(WebElement box, boolean on) {
		if (box.isSelected() != on) {
			js("arguments[0].scrollIntoView({block: 'center'});", box);
			box.click();
		}
	}

	void click(By by) {
		WebElement element = find(by);
		js("arguments[0].scrollIntoView({block: 'center'});", element);
		element.click();
	}

	/**
	 * Presses a button by its visible text, accepting a confirm() dialog the page may
	 * open.
	 */
	void press(String text) {
		click(By.xpath("//button[normalize-space(.)='" + text
				+ "'] | //a[contains(@class,'button') and normalize-space(.)='" + text + "']"));
	}

	/** The page's visible text; read again when the page changed while it was read. */
	String text() {
		for (int attempt = 1;; attempt++) {
			try {
				return driver.findElement(By.tagName("body")).getText();
			}
			catch (StaleElementReferenceException ex) {
				if (attempt == 5) {
					throw ex;
				}
			}
		}
	}

	Object js(String script, Object... args) {
		return ((JavascriptExecutor) driver).executeScript(script, args);
	}

	void waitUntil(java.util.function.BooleanSupplier condition) {
		waiting().until(d -> condition.getAsBoolean());
	}

	void waitForText(String text) {
		waiting().until(d -> text().contains(text));
	}

	void resize(int width, int height) {
		driver.manage().window().setSize(new Dimension(width, height));
	}

	/** The viewport's width as the page sees it, and the widest the document gets. */
	long[] widths() {
		Number inner = (Number) js("return window.innerWidth;");
		Number scroll = (Number) js("return document.documentElement.scrollWidth;");
		return new long[] { inner.longValue(), scroll.longValue() };
	}

	void screenshot(Path file) {
		try {
			Files.createDirectories(file.getParent());
			Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
			Files.writeString(file.resolveSibling(file.getFileName().toString().replace(".png", ".html")),
					driver.getPageSource());
		}
		catch (IOException | RuntimeException ex) {
			System.err.println("No screenshot: " + ex);
		}
	}

	@Override
	public void close() {
		try {
			driver.quit();
		}
		finally {
			try (Stream<Path> files = Files.walk(profile)) {
				files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
			catch (IOException ex) {
				// a leftover temporary profile is harmless
			}
		}
	}

}
