package io.mschedule.master.config;

/** A setting is missing or out of range; the message names the setting. */
public final class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }
}
