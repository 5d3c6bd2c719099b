package io.mschedule.master.config;

import io.mschedule.protocol.settings.SettingsException;

/** A setting is unusable (e.g. a TLS file that cannot be parsed); the message names the setting. */
public final class ConfigException extends SettingsException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
