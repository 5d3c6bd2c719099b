package io.mschedule.protocol.settings;

/** One setting's text and where it came from. */
public record SettingValue(String key, String text, SettingSource source) {}
