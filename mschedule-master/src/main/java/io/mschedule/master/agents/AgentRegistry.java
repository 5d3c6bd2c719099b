package io.mschedule.master.agents;

import io.mschedule.master.store.AgentRecord;
import io.mschedule.master.store.AgentStore;
import io.mschedule.master.store.GroupCommit;
import io.mschedule.protocol.message.Heartbeat;
import io.mschedule.protocol.message.Register;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The fleet. Registrations are written through to the store (those that arrive together in one
 * transaction, {@link GroupCommit}); liveness (last seen, running tasks) lives in memory and
 * last_seen is flushed in batches by {@link LastSeenFlushLoop}, so a heartbeat costs no database
 * write.
 */
public final class AgentRegistry {
  private final AgentStore store;
  private final Clock clock;
  private final Duration offlineAfter;
  private volatile Predicate<String> held = id -> false;
  private final Map<String, Entry> agents = new ConcurrentHashMap<>();
  private final Map<String, Instant> dirtyLastSeen = new ConcurrentHashMap<>();
  private final List<AgentListener> listeners = new CopyOnWriteArrayList<>();

  /** An agent's row waiting to be written, and who waits for it. */
  private record Upsert(AgentRecord record, CompletableFuture<Void> stored) {}

  /** Registrations that arrive together are written together (up to 500 in one transaction). */
  private final GroupCommit<Upsert> upserts = new GroupCommit<>(500, this::writeAll);

  private volatile Function<String, String> keyStates = id -> AgentView.KEY_ACCEPTED;
  private volatile String localMaster;
  private volatile Predicate<String> heldElsewhere = id -> false;

  private static final class Entry {
    volatile AgentRecord record;
    volatile Instant lastSeen;
    volatile boolean online;
    volatile Set<String> running = Set.of();
    volatile String master;

    /** When {@link #running} was reported (written after it, read before it). */
    volatile Instant runningAt;

    Entry(AgentRecord record, Instant lastSeen, boolean online) {
      this.record = record;
      this.lastSeen = lastSeen;
      this.online = online;
    }
  }

  public AgentRegistry(AgentStore store, Clock clock, Duration offlineAfter) {
    this.store = store;
    this.clock = clock;
    this.offlineAfter = offlineAfter;
    for (AgentRecord r : store.findAll()) {
      agents.put(r.id(), new Entry(r, r.lastSeen(), false));
    }
  }

  /** Where the key state of each agent comes from (by default every agent is accepted). */
  public void keyStates(Function<String, String> keyStates) {
    this.keyStates = keyStates;
  }

  /** The id of this master, recorded on every agent that registers here. */
  public void localMaster(String masterId) {
    this.localMaster = masterId;
  }

  /**
   * Which master holds each agent's connection, as the database says; agents online here keep this
   * master. An agent that registered on another master since this one started is read from the
   * store, and so is one that moved to another master (its labels or name may have changed).
   */
  public void masters(Map<String, String> masterOfAgent) {
    masterOfAgent.forEach(
        (agentId, master) -> {
          Entry e = agents.get(agentId);
          boolean moved = e != null && e.master != null && !master.equals(e.master);
          if (e == null || (!e.online && moved)) {
            Optional<AgentRecord> stored = store.find(agentId);
            if (stored.isEmpty()) {
              return;
            }
            AgentRecord r = stored.get();
            e = agents.computeIfAbsent(agentId, id -> new Entry(r, r.lastSeen(), false));
            if (!e.online) {
              e.record = r;
            }
          }
          if (!e.online) {
            e.master = master;
          }
        });
  }

  /**
   * Which agents are alive on another master sharing the database: they are shown online and can be
   * targeted here (orders reach them through their master).
   */
  public void heldElsewhere(Predicate<String> heldElsewhere) {
    this.heldElsewhere = heldElsewhere;
  }

  /** Ids of the agents online here. */
  public List<String> onlineIds() {
    List<String> out = new ArrayList<>();
    agents.forEach(
        (id, e) -> {
          if (e.online) {
            out.add(id);
          }
        });
    return out;
  }

  public void addListener(AgentListener listener) {
    listeners.add(listener);
  }

  public Duration offlineAfter() {
    return offlineAfter;
  }

  /** Writes an agent's row, with those of registrations that arrive with it; throws its failure. */
  private void write(AgentRecord record) {
    Upsert u = new Upsert(record, new CompletableFuture<>());
    upserts.add(u);
    try {
      u.stored().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private void writeAll(List<Upsert> batch) {
    GroupCommit.writeOrSplit(
        batch,
        upserts -> {
          store.upsertAll(upserts.stream().map(Upsert::record).toList());
          upserts.forEach(u -> u.stored().complete(null));
        },
        (u, e) -> u.stored().completeExceptionally(e));
  }

  /** Records a registration (write-through) and marks the agent online. */
  public AgentView register(Register r) {
    Instant now = clock.instant();
    Entry existing = agents.get(r.id());
    Instant firstSeen = existing == null ? now : existing.record.firstSeen();
    AgentRecord record =
        new AgentRecord(
            r.id(), r.hostname(), r.ip(), r.labels(), r.version(), firstSeen, now, nameOf(r));
    write(record);
    Entry e =
        agents.compute(r.id(), (id, old) -> old == null ? new Entry(record, now, false) : old);
    e.record = record;
    e.running = Set.copyOf(r.running());
    e.runningAt = now;
    e.master = localMaster;
    seen(e, now);
    return view(e);
  }

  /**
   * Forgets an agent that never got further than a pending key (dropped over the pending cap): out
   * of the list and the database.
   */
  public void forget(String agentId) {
    if (agents.remove(agentId) != null) {
      dirtyLastSeen.remove(agentId);
      store.delete(agentId);
    }
  }

  /** Records a heartbeat; false when the agent is unknown (it must register first). */
  public boolean heartbeat(Heartbeat h) {
    Entry e = agents.get(h.id());
    if (e == null) {
      return false;
    }
    AgentRecord r = e.record;
    boolean changed =
        (h.hostname() != null && !h.hostname().equals(r.hostname()))
            || (h.ip() != null && !h.ip().equals(r.ip()));
    if (changed) {
      AgentRecord updated =
          new AgentRecord(
              r.id(),
              h.hostname() == null ? r.hostname() : h.hostname(),
              h.ip() == null ? r.ip() : h.ip(),
              r.labels(),
              r.version(),
              r.firstSeen(),
              clock.instant(),
              r.name());
      write(updated);
      e.record = updated;
    }
    e.running = Set.copyOf(h.running());
    e.runningAt = clock.instant();
    seen(e, clock.instant());
    return true;
  }

  /**
   * Records a heartbeat that changes nothing to be stored (the agent is known and its hostname and
   * addresses are the same): memory only, never blocking, so it may be called on an I/O thread.
   * False when it did nothing: then {@link #heartbeat} records it.
   */
  public boolean heartbeatInMemory(Heartbeat h) {
    Entry e = agents.get(h.id());
    if (e == null) {
      return false;
    }
    AgentRecord r = e.record;
    if ((h.hostname() != null && !h.hostname().equals(r.hostname()))
        || (h.ip() != null && !h.ip().equals(r.ip()))) {
      return false;
    }
    e.running = Set.copyOf(h.running());
    e.runningAt = clock.instant();
    seen(e, clock.instant());
    return true;
  }

  /** Any message from a known agent proves it is alive. */
  public boolean touch(String agentId) {
    Entry e = agents.get(agentId);
    if (e == null) {
      return false;
    }
    seen(e, clock.instant());
    return true;
  }

  private void seen(Entry e, Instant now) {
    e.lastSeen = now;
    dirtyLastSeen.put(e.record.id(), now);
    if (!e.online) {
      e.online = true;
      listeners.forEach(l -> l.onOnline(e.record.id()));
    }
  }

  /** Marks agents offline whose last message is older than the offline timeout; returns them. */
  public List<String> sweep() {
    Instant limit = clock.instant().minus(offlineAfter);
    List<String> wentOffline = new ArrayList<>();
    for (Entry e : agents.values()) {
      if (e.online && e.lastSeen.isBefore(limit)) {
        e.online = false;
        wentOffline.add(e.record.id());
      }
    }
    for (String id : wentOffline) {
      listeners.forEach(l -> l.onOffline(id));
    }
    return wentOffline;
  }

  /** Takes the last_seen values changed since the previous call. */
  public Map<String, Instant> drainLastSeen() {
    Map<String, Instant> out = new HashMap<>();
    for (String id : List.copyOf(dirtyLastSeen.keySet())) {
      Instant t = dirtyLastSeen.remove(id);
      if (t != null) {
        out.put(id, t);
      }
    }
    return out;
  }

  /**
   * Whether the agent may still be running the task: its last report of running tasks (register or
   * heartbeat) lists it, or came before {@code since} (the order may not have reached it yet).
   */
  public boolean mayBeRunning(String agentId, String taskId, Instant since) {
    Entry e = agents.get(agentId);
    if (e == null) {
      return false;
    }
    Instant at = e.runningAt;
    return at == null || !at.isAfter(since) || e.running.contains(taskId);
  }

  /**
   * Whether dispatch counts the agent as present: online, or held by {@link #holdOnline} (an agent
   * cut off behind a relay, within the relay's grace).
   */
  public boolean isOnline(String agentId) {
    Entry e = agents.get(agentId);
    return e != null && (e.online || held.test(agentId));
  }

  /** Agents that dispatch counts as present although silent (see {@link #isOnline}). */
  public void holdOnline(Predicate<String> held) {
    this.held = held;
  }

  public Optional<AgentView> find(String agentId) {
    Entry e = agents.get(agentId);
    return e == null ? Optional.empty() : Optional.of(view(e));
  }

  /** All agents, ordered by name (else hostname) then id. */
  public List<AgentView> all() {
    return all(r -> true);
  }

  /**
   * The agents whose stored record passes {@code filter}, in the order of {@link #all()}. Views are
   * built and sorted only for those: a task for one agent among 10,000 does not build 10,000.
   */
  public List<AgentView> all(Predicate<AgentRecord> filter) {
    List<AgentView> out = new ArrayList<>();
    for (Entry e : agents.values()) {
      if (filter.test(e.record)) {
        out.add(view(e));
      }
    }
    out.sort(Comparator.comparing(AgentView::displayName).thenComparing(AgentView::id));
    return out;
  }

  private AgentView view(Entry e) {
    AgentRecord r = e.record;
    return new AgentView(
        r.id(),
        r.hostname(),
        r.ip(),
        r.labels(),
        r.version(),
        e.online || heldElsewhere.test(r.id()),
        r.firstSeen(),
        e.lastSeen,
        e.running,
        keyStates.apply(r.id()),
        r.name(),
        e.master);
  }

  private static String nameOf(Register r) {
    return r.name() == null || r.name().isBlank() ? null : r.name().trim();
  }

  /** Forgets an agent (it leaves the fleet until it registers again); false when it was unknown. */
  public boolean remove(String agentId) {
    Entry e = agents.remove(agentId);
    dirtyLastSeen.remove(agentId);
    boolean stored = store.delete(agentId);
    if (e != null && e.online) {
      listeners.forEach(l -> l.onOffline(agentId));
    }
    return e != null || stored;
  }

  /** The name operators see for an agent: its name, else its hostname; null when unknown. */
  public String displayName(String agentId) {
    Entry e = agents.get(agentId);
    if (e == null) {
      return null;
    }
    AgentRecord r = e.record;
    return r.name() == null ? r.hostname() : r.name();
  }
}
