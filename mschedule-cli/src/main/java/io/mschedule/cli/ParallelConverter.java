package io.mschedule.cli;

import io.mschedule.cli.client.Parallel;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code -p N} or {@code -p N%}. */
final class ParallelConverter implements ITypeConverter<Parallel> {
  @Override
  public Parallel convert(String value) {
    try {
      return Parallel.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
