package io.mschedule.it.web;

import io.mschedule.it.ExternalTools;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium driven through chromedriver, both from the system (Debian's {@code chromium}
 * and {@code chromium-driver}). Nothing is downloaded: the driver and browser paths are explicit,
 * so Selenium Manager is never asked to find or fetch either.
 */
final class Browser {
  static final Path CHROMIUM =
      Path.of(System.getProperty("mschedule.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("mschedule.chromedriver", "/usr/bin/chromedriver"));

  private Browser() {}

  /**
   * Skips the test without the browser (fails instead when mschedule.requireExternalTools is true).
   */
  static void require() {
    ExternalTools.require(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "chromium and chromedriver ("
            + CHROMIUM
            + ", "
            + CHROMEDRIVER
            + "; apt-get install chromium chromium-driver)");
  }

  static ChromeDriver start(Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
      System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage",
          "--window-size=1400,900",
          "--user-data-dir=" + profile);
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability("goog:loggingPrefs", logs);
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(CHROMEDRIVER.toFile())
              .usingAnyFreePort()
              .withLogFile(new File(workDir.toFile(), "chromedriver.log"))
              .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
      return driver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Saves a PNG of the window to {@code file} (its folder must exist). */
  static void screenshot(ChromeDriver driver, Path file) {
    try {
      Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(png, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
