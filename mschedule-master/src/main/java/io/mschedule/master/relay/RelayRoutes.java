package io.mschedule.master.relay;

import io.javalin.config.RoutesConfig;
import io.mschedule.master.api.ApiRoutes;
import io.mschedule.master.api.Json;
import java.util.List;

/** {@code GET /api/v1/relays}: the relays this master knows (any API token). */
public final class RelayRoutes implements ApiRoutes {
  public static final String PATH = "/api/v1/relays";

  /** One relay as the API shows it. */
  public record RelayJson(
      String id,
      String datacenter,
      String address,
      String state,
      int agents,
      long spoolBytes,
      String lastSeen) {}

  private final RelayRegistry relays;

  public RelayRoutes(RelayRegistry relays) {
    this.relays = relays;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get(
        PATH, ctx -> ctx.status(200).contentType("application/json").result(Json.write(view())));
  }

  List<RelayJson> view() {
    return relays.list().stream()
        .map(
            r ->
                new RelayJson(
                    r.id(),
                    r.datacenter(),
                    r.address(),
                    r.state(),
                    r.agents(),
                    r.spoolBytes(),
                    r.lastSeen() == null ? null : r.lastSeen().toString()))
        .toList();
  }
}
