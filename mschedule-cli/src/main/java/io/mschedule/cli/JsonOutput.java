package io.mschedule.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.mschedule.cli.client.Json;
import java.io.PrintWriter;

/** Prints API objects as pretty JSON, with the API's field names. */
final class JsonOutput {
  private static final ObjectWriter WRITER = Json.mapper().writer(prettyPrinter());

  private JsonOutput() {}

  /** Two-space indentation, {@code "key": value}, {@code []} and {@code {}} when empty, as jq. */
  private static DefaultPrettyPrinter prettyPrinter() {
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withArrayEmptySeparator("")
            .withObjectEmptySeparator("");
    DefaultPrettyPrinter pp = new DefaultPrettyPrinter(separators);
    pp.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
    pp.indentObjectsWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
    return pp;
  }

  static String render(Object value) {
    try {
      return WRITER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  static void print(PrintWriter out, Object value) {
    out.println(render(value));
    out.flush();
  }
}
