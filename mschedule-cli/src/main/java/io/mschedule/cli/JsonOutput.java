package io.mschedule.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.mschedule.cli.client.Json;
import java.io.PrintWriter;

/** Prints API objects as pretty JSON, with the API's field names. */
final class JsonOutput {
  private static final ObjectWriter WRITER = Json.mapper().writerWithDefaultPrettyPrinter();

  private JsonOutput() {}

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
