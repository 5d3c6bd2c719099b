package io.mschedule.master.files;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.mschedule.master.api.ApiAccess;
import io.mschedule.master.api.ApiException;
import io.mschedule.master.api.ApiRoutes;
import io.mschedule.master.api.Json;
import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.store.FileCatalog;
import io.mschedule.master.store.FileRecord;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/files}: upload a file (the request body, streamed to the store) and look one up by
 * its SHA-256.
 */
public final class FileRoutes implements ApiRoutes {
  /** The largest file accepted: 64 GiB. */
  public static final long MAX_FILE_BYTES = 64L << 30;

  /** The longest file name kept. */
  static final int MAX_NAME = 255;

  private final FileStore store;
  private final FileCatalog catalog;
  private final ApiAccess access;
  private final AuditLog audit;
  private final Clock clock;
  private final long maxFileBytes;

  public FileRoutes(
      FileStore store,
      FileCatalog catalog,
      ApiAccess access,
      AuditLog audit,
      Clock clock,
      long maxFileBytes) {
    this.store = store;
    this.catalog = catalog;
    this.access = access;
    this.audit = audit;
    this.clock = clock;
    this.maxFileBytes = maxFileBytes;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/files", this::upload);
    routes.get("/api/v1/files/{sha256}", this::show);
  }

  private void upload(Context ctx) throws IOException {
    String name = ctx.queryParam("name");
    if (name == null || name.isBlank()) {
      throw new ApiException(400, "name: required (the file's name, ?name=app.conf)", "name");
    }
    if (name.length() > MAX_NAME || name.contains("/") || name.chars().anyMatch(c -> c < 0x20)) {
      throw new ApiException(
          400, "name: at most " + MAX_NAME + " characters, no '/' or control characters", "name");
    }
    FileStore.Stored stored;
    try (InputStream body = ctx.req().getInputStream()) {
      stored = store.put(body, maxFileBytes);
    } catch (FileStore.TooLargeException e) {
      throw new ApiException(413, e.getMessage(), null);
    }
    catalog.add(
        new FileRecord(stored.sha256(), name, stored.size(), clock.instant(), access.caller(ctx)));
    FileRecord record = catalog.find(stored.sha256()).orElseThrow();
    audit.record(
        access.caller(ctx) == null ? "anonymous" : access.caller(ctx),
        "file.upload",
        stored.sha256(),
        "name=" + name + " size=" + stored.size());
    reply(ctx, 201, view(record, name));
  }

  private void show(Context ctx) {
    String sha = ctx.pathParam("sha256");
    if (!FileStore.isSha256(sha)) {
      throw new ApiException(400, "sha256: expected 64 lower-case hex characters", "sha256");
    }
    FileRecord record =
        catalog
            .find(sha)
            .filter(r -> store.has(sha))
            .orElseThrow(() -> new ApiException(404, "no file " + sha + " on this master", null));
    reply(ctx, 200, view(record, record.name()));
  }

  private static Map<String, Object> view(FileRecord r, String name) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sha256", r.sha256());
    out.put("name", name);
    out.put("size", r.size());
    out.put("created_at", r.createdAt() == null ? null : r.createdAt().toString());
    return out;
  }

  private static void reply(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }
}
