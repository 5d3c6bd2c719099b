package io.mschedule.cli;

import picocli.CommandLine.Option;

/** {@code --no-color}, shared by the commands that print run states. */
public final class ColorOption {
  @Option(
      names = "--no-color",
      description = "No colours (also when $NO_COLOR is set or output is not a terminal).")
  boolean noColor;

  /** The colours to print with. */
  Colors colors() {
    return Colors.choose(noColor, System.getenv(), Terminal.stdout());
  }
}
