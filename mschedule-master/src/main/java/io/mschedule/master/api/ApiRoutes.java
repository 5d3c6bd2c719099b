package io.mschedule.master.api;

import io.javalin.config.RoutesConfig;

/** A group of extra routes (keys, tokens, audit) added to the API server. */
public interface ApiRoutes {
  void register(RoutesConfig routes);
}
