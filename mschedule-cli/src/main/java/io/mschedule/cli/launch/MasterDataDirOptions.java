package io.mschedule.cli.launch;

import io.mschedule.master.config.MasterConfig;
import io.mschedule.protocol.settings.Settings;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --data-dir} and {@code --config} of the commands that work on a master's data directory
 * without running it; the directory comes from the same sources as for {@code mschedule master}.
 */
final class MasterDataDirOptions {
  /** The environment read for {@code MSCHEDULE_*} settings (tests give their own). */
  Map<String, String> env = System.getenv();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The master's settings file (for its data-dir).")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The master's data directory (default " + MasterConfig.DEFAULT_DATA_DIR + ").")
  String dataDir;

  /** The flag, else MSCHEDULE_DATA_DIR, else data-dir in the --config file, else the default. */
  Path resolve() {
    return Settings.builder(MasterConfig.KEYS)
        .file(config)
        .environment(env)
        .flag(MasterConfig.DATA_DIR, "--data-dir", dataDir)
        .build()
        .path(MasterConfig.DATA_DIR, MasterConfig.DEFAULT_DATA_DIR);
  }
}
