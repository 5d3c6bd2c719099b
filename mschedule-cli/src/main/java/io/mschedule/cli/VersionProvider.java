package io.mschedule.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest ({@code Implementation-Version}), "dev" outside a jar. */
public final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {"mschedule " + version()};
  }

  /** The mschedule version, or "dev" when not run from the packaged jar. */
  public static String version() {
    Package p = VersionProvider.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null || v.isBlank() ? "dev" : v;
  }
}
