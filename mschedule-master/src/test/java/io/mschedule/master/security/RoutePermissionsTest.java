package io.mschedule.master.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutePermissionsTest {
  @ParameterizedTest
  @CsvSource({
    "GET, /api/v1/agents, viewer",
    "GET, /api/v1/agents/a1, viewer",
    "GET, /api/v1/tasks, viewer",
    "GET, /api/v1/tasks/t1, viewer",
    "GET, /api/v1/tasks/t1/events, viewer",
    "GET, /api/v1/whoami, viewer",
    "HEAD, /api/v1/tasks, viewer",
    "GET, /metrics, viewer",
    "GET, /metrics/, viewer",
    "POST, /metrics, admin",
    "POST, /api/v1/tasks, operator",
    "POST, /api/v1/tasks/, operator",
    "POST, /api/v1/tasks/t1/kill, operator",
    "POST, /api/v1/tasks/t1/kill/, operator",
    "GET, /api/v1/tokens, admin",
    "POST, /api/v1/tokens, admin",
    "POST, /api/v1/tokens/x/revoke, admin",
    "GET, /api/v1/audit, admin",
    "GET, /api/v1/keys, admin",
    "GET, /api/v1/keys/pending, admin",
    "POST, /api/v1/keys/k1/accept, admin",
    "GET, /api/v1//tokens, admin",
    "GET, /api/v1/Tokens, admin",
    "GET, /api/v1/%74okens, admin",
    "GET, /api/v1/tasks/../tokens, admin",
    "GET, /api/v1/./audit/, admin",
    "GET, /api/v1/tokens;x=1, admin",
    "GET, /api/v1/tokens%3Bx, admin",
    "POST, /api/v1/agents, admin",
    "DELETE, /api/v1/agents/a1, admin",
    "POST, /api/v1/targets/preview, viewer",
    "POST, /api/v1/targets, admin",
    "DELETE, /api/v1/tasks/t1, admin",
    "PUT, /api/v1/tasks, admin",
    "POST, /api/v1/tasks/t1/kill/x, admin",
    "POST, /api/v1/tasks/a/b/kill, admin",
    "OPTIONS, /api/v1/tasks, admin",
    "GET, /api/v1/jobs, viewer",
    "GET, /api/v1/jobs/backup/versions, viewer",
    "GET, /api/v1/jobs/backup/diff, viewer",
    "POST, /api/v1/jobs/backup/versions, admin",
    "POST, /api/v1/jobs/backup/rollback, admin",
    "DELETE, /api/v1/jobs/backup, admin",
    "POST, /api/v1/tasks/t1/rerun, operator",
    "GET, /api/v1/schedules, viewer",
    "GET, /api/v1/schedules/nightly/next, viewer",
    "POST, /api/v1/schedules, admin",
    "POST, /api/v1/schedules/nightly/pause, admin",
    "POST, /api/v1/schedules/nightly/resume, admin",
    "DELETE, /api/v1/schedules/nightly, admin",
    "POST, /api/v1/schedules/nightly/trigger, operator",
  })
  void theTableDecides(String method, String path, String role) {
    assertThat(RoutePermissions.required(method, path).id()).isEqualTo(role);
  }

  @ParameterizedTest
  @CsvSource({
    "/api/v1/tasks, /api/v1/tasks",
    "/api//v1///tasks/, /api/v1/tasks",
    "/api/v1/%41udit, /api/v1/audit",
    "/api/v1/a/../b, /api/v1/b",
    "/api/v1/%zz, /api/v1/%zz",
    "/api/v1/%, /api/v1/%",
    "/api/v1;a/tasks;b=c/, /api/v1/tasks",
  })
  void pathsAreCanonical(String raw, String canonical) {
    assertThat(RoutePermissions.canonical(raw)).isEqualTo(canonical);
  }
}
