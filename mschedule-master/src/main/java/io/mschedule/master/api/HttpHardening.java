package io.mschedule.master.api;

import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Protections of the HTTP server below the routes: security headers on every response, no method
 * override ({@code X-HTTP-Method-Override} and friends are ignored: a GET stays a GET), and the
 * API's JSON error shape for errors Jetty answers itself (414, 400 on a malformed request...).
 */
final class HttpHardening {
  /** The console's policy, also as a header, and no framing. */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'";

  static final Map<String, String> HEADERS =
      Map.of(
          "X-Frame-Options", "DENY",
          "Content-Security-Policy", CSP,
          "X-Content-Type-Options", "nosniff",
          "Referrer-Policy", "no-referrer");

  /** Headers that some frameworks read to change a request's method. */
  static final List<String> OVERRIDE_HEADERS =
      List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

  private HttpHardening() {}

  static void apply(JavalinConfig config) {
    config.http.prefer405over404 = true;
    config.jetty.modifyServletContextHandler(
        h ->
            h.addFilter(
                new FilterHolder(new Headers()), "/*", EnumSet.allOf(DispatcherType.class)));
    config.jetty.modifyServer(s -> s.setErrorHandler(new JsonErrors()));
  }

  /** Adds the security headers and hides the method override headers from everything behind. */
  static final class Headers implements Filter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      HttpServletResponse r = (HttpServletResponse) res;
      HEADERS.forEach(r::setHeader);
      chain.doFilter(new NoOverride((HttpServletRequest) req), res);
    }
  }

  private static final class NoOverride extends HttpServletRequestWrapper {
    NoOverride(HttpServletRequest request) {
      super(request);
    }

    private static boolean hidden(String name) {
      return OVERRIDE_HEADERS.stream().anyMatch(h -> h.equalsIgnoreCase(name));
    }

    @Override
    public String getHeader(String name) {
      return hidden(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      return Collections.enumeration(
          Collections.list(super.getHeaderNames()).stream().filter(n -> !hidden(n)).toList());
    }
  }

  /** Jetty's own error answers in the API's shape {@code {"status": .., "error": ..}}. */
  static final class JsonErrors extends ErrorHandler {
    static String body(int status, String message) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", status);
      m.put("error", message);
      return Json.write(m);
    }

    static String describe(int status, String reason) {
      String what =
          switch (status) {
            case 414 -> "request URI too long";
            case 431 -> "request headers too large";
            case 413 -> "request body too large";
            case 400 -> "bad request";
            default -> "HTTP " + status;
          };
      return reason == null || reason.isBlank() ? what : what + " (" + reason + ")";
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(HttpHeader.CONTENT_TYPE, "application/json");
      HEADERS.forEach(fields::put);
      return ByteBuffer.wrap(
          body(status, describe(status, reason)).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int code,
        String message,
        Throwable cause,
        Callback callback) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      HEADERS.forEach((k, v) -> response.getHeaders().put(k, v));
      response.write(
          true,
          ByteBuffer.wrap(body(code, describe(code, message)).getBytes(StandardCharsets.UTF_8)),
          callback);
    }
  }
}
