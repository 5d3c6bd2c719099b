package io.mschedule.protocol.settings;

/**
 * A setting is missing, unknown or has a bad value. The message is one line that names the key, the
 * value, what is allowed and where the value came from (flag, environment variable or file line).
 */
public class SettingsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SettingsException(String message) {
    super(message);
  }

  public SettingsException(String message, Throwable cause) {
    super(message, cause);
  }
}
