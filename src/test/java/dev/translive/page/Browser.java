package dev.translive.page;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium driven by Debian's chromedriver (never Selenium Manager, never a
 * downloaded browser), with a fresh profile per instance so sessions share no localStorage.
 */
final class Browser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;

  private Browser(int width, int height) {
    try {
      profile = Files.createTempDirectory("translive-chrome-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions()
        .setBinary(CHROMIUM)
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--lang=en-US");
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
    service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(width, height));
  }

  static Browser desktop() {
    return new Browser(1280, 900);
  }

  static Browser phone() {
    return new Browser(360, 740);
  }

  /** Runs before any script of every page loaded afterwards, e.g. to set window.transliveClientOptions. */
  Browser beforeEachPage(String script) {
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
    return this;
  }

  /** Makes requests matching the patterns fail as if the network refused them (CDP Network.setBlockedURLs). */
  Browser blockUrls(List<String> patterns) {
    driver.executeCdpCommand("Network.enable", Map.of());
    driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", patterns));
    return this;
  }

  /** Saves downloads into {@code dir} without asking, as a user's browser set to a download folder would. */
  Browser downloadTo(Path dir) {
    driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", dir.toAbsolutePath().toString()));
    return this;
  }

    Browser open(int port) {
    driver.get("http://127.0.0.1:" + port + "/");
    return this;
  }

  <T> T await(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).until(condition);
  }

  <T> T await(Function<WebDriver, T> condition) {
    return await(Duration.ofSeconds(20), condition);
  }

  @SuppressWarnings("unchecked")
  <T> T js(String script, Object... args) {
    return (T) ((JavascriptExecutor) driver).executeScript(script, args);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  String connectionState() {
    return find("#connection").getDomAttribute("data-state");
  }

  /** Chooses files through the real file input, as a user's file dialog would; nothing is queued yet (the page estimates first). */
  void pick(Path... files) {
    String paths = String.join("\n", Stream.of(files).map(f -> f.toAbsolutePath().toString()).toList());
    find("#file-input").sendKeys(paths);
  }

  /**
   * Chooses files and, once the page shows their estimate, presses "Translate", as a user uploading
   * them would (when every file was refused before any estimate, there is nothing to press).
   */
  void upload(Path... files) {
    pick(files);
    await(d -> {
      WebElement box = find("#estimate");
      WebElement go = find("#estimate-translate");
      if (box.isDisplayed() && go.isEnabled()) {
        go.click();
        return true;
      }
      return !box.isDisplayed() && !find("#upload-status").getText().isEmpty() ? true : null;
    });
  }

  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path target = SCREENSHOTS.resolve(name + ".png");
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      } catch (IOException ignored) {
        // a leftover temp profile is harmless
      }
    }
  }
}
