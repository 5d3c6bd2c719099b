package io.mschedule.master.security.keys;

import io.mschedule.master.agents.OncePerAgent;
import io.mschedule.master.audit.AuditLog;
import io.mschedule.master.store.AgentKey;
import io.mschedule.master.store.GroupCommit;
import io.mschedule.master.store.KeyState;
import io.mschedule.master.store.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which agent keys may join, in the manner of {@code salt-key}: a new key is {@code PENDING} and
 * gets no task until an operator accepts it, or until the agent presents a valid join token. A
 * rejected key is refused during the CURVE handshake. Cached in memory, written through.
 *
 * <p>A new key is decided under the registry's lock and held there while it is stored, so that no
 * other agent can take it; the insert itself is made outside the lock, together with those of the
 * registrations that arrive at the same time (one transaction, {@link GroupCommit}). The agent is
 * answered once its key is stored; an operator's decision on a key being stored waits for it.
 */
public final class KeyRegistry {
  private static final Logger log = LoggerFactory.getLogger(KeyRegistry.class);

  private final KeyStore store;
  private final JoinTokens tokens;
  private final Clock clock;
  private final AuditLog audit;
  private final PendingLimits limits;
  private final Map<String, AgentKey> byAgent = new ConcurrentHashMap<>();

  /** The agent each key belongs to (not the plain listener's marker, which all share). */
  private final Map<String, String> agentByKey = new ConcurrentHashMap<>();

  /** Rejected public keys, to the agent id each belongs to. */
  private final Map<String, String> rejectedKeys = new ConcurrentHashMap<>();

  private final OncePerAgent refusalLog;
  private final List<Consumer<AgentKey>> listeners = new CopyOnWriteArrayList<>();

  /** New keys held in memory while their registrations store them, by agent (under the lock). */
  private final Map<String, Insert> storing = new HashMap<>();

  private final GroupCommit<Insert> inserts = new GroupCommit<>(500, this::insertAll);

  /** Who {@link AgentKey#decidedBy()} names when a pending key is dropped over the cap. */
  public static final String DROPPED_BY = "max-pending-agents";

  public KeyRegistry(
      KeyStore store, JoinTokens tokens, Clock clock, AuditLog audit, PendingLimits limits) {
    this.store = store;
    this.limits = limits;
    this.tokens = tokens;
    this.clock = clock;
    this.audit = audit;
    this.refusalLog = new OncePerAgent(clock, Duration.ofMinutes(1));
    for (AgentKey k : store.findAll()) {
      remember(k);
    }
  }

  /** Told of every decision (accepted, rejected, deleted: state null). */
  public void addListener(Consumer<AgentKey> listener) {
    listeners.add(listener);
  }

  /**
   * For the CURVE handshake (ZAP): false only for a rejected key. A refusal is logged once per
   * agent per minute, however often the agent tries.
   */
  public boolean allowConnection(String publicKey) {
    String agentId = rejectedKeys.get(publicKey);
    if (agentId == null) {
      return true;
    }
    if (refusalLog.allow(agentId)) {
      log.warn(
          "agent {} refused: its key was rejected (to let it ask again: mschedule keys delete {})",
          agentId,
          agentId);
    }
    return false;
  }

  /**
   * Admits a registering agent with {@code publicKey} (or {@link AgentKey#PLAIN}); returns the
   * key's state. Throws {@link KeyRefusedException} when it may not join.
   *
   * @param source the IP address the registration came from, or null when unknown
   */
  public KeyState admit(String agentId, String publicKey, String token, String source) {
    boolean tokenOk = token != null && tokens.valid(token);
    Admitted admitted;
    while (true) {
      Insert other;
      synchronized (this) {
        other = storing.get(agentId);
        admitted = other == null ? admit(agentId, publicKey, token, tokenOk, source) : null;
      }
      if (other == null) {
        break;
      }
      other.done().join(); // the same agent registering twice at once: decide on the stored key
    }
    if (admitted.insert() != null) {
      admitted = store(admitted.insert(), publicKey, tokenOk);
    }
    // outside the lock: registrations do not wait for each other's audit entries
    if (admitted.joinedWithToken()) {
      audit.record("join-token", "key.accept", agentId, "accepted with a join token");
    }
    return admitted.state();
  }

  /**
   * What {@link #admit(String, String, String, String)} decided under the lock: a state, or a new
   * key to store first.
   */
  private record Admitted(KeyState state, boolean joinedWithToken, Insert insert) {}

  /** A new key being stored: {@code stored} once written, {@code done} once the registry knows. */
  private record Insert(
      AgentKey key, CompletableFuture<AgentKey> stored, CompletableFuture<Void> done) {}

  private Admitted admit(
      String agentId, String publicKey, String token, boolean tokenOk, String source) {
    AgentKey existing = byAgent.get(agentId);
    if (existing == null) {
      if (AgentKey.PLAIN.equals(publicKey) && !tokenOk) {
        throw new KeyRefusedException(
            token == null
                ? "this listener takes only agents that present a join token (register payload field 'token')"
                : "the join token is not valid (unknown or expired)");
      }
      String holder = agentOfKey(publicKey);
      if (holder != null) {
        throw new KeyRefusedException(
            "this key already belongs to agent "
                + holder
                + "; an agent keeps its id with its key: restore the agent's myid file (it held "
                + holder
                + "), or give the agent a new key pair, or delete the old key on the master"
                + " (mschedule keys delete "
                + holder
                + ")");
      }
      if (!tokenOk && !limits.tryNewFrom(source)) {
        throw new KeyRefusedException(
            "too many new agent keys from "
                + source
                + " (at most "
                + PendingLimits.NEW_PER_ADDRESS_PER_MINUTE
                + " a minute); try again later");
      }
      KeyState state = tokenOk ? KeyState.ACCEPTED : KeyState.PENDING;
      AgentKey fresh =
          new AgentKey(
              agentId,
              publicKey,
              state,
              clock.instant(),
              tokenOk ? clock.instant() : null,
              tokenOk ? "join-token" : null);
      Insert insert = new Insert(fresh, new CompletableFuture<>(), new CompletableFuture<>());
      storing.put(agentId, insert);
      remember(fresh); // held: no other agent takes this key meanwhile
      return new Admitted(null, false, insert);
    }
    check(existing, publicKey);
    if (existing.state() == KeyState.PENDING && tokenOk) {
      decide(existing, KeyState.ACCEPTED, "join-token");
      return new Admitted(KeyState.ACCEPTED, false, null);
    }
    return new Admitted(existing.state(), false, null);
  }

  /** Stores a new key (with those of registrations arriving with it) and takes the result in. */
  private Admitted store(Insert insert, String publicKey, boolean tokenOk) {
    AgentKey fresh = insert.key();
    String agentId = fresh.agentId();
    try {
      inserts.add(insert);
      AgentKey stored;
      try {
        stored = insert.stored().join();
      } catch (CompletionException e) {
        synchronized (this) {
          storing.remove(agentId);
          if (byAgent.get(agentId) == fresh) {
            forget(agentId); // not stored: the key is free again, the agent may retry
          }
        }
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
      synchronized (this) {
        storing.remove(agentId);
        if (stored != fresh) { // another master sharing the database stored the agent's key first
          remember(stored);
        } else if (stored.state() == KeyState.PENDING) {
          dropOldestPendingOver(limits.maxPending(), agentId);
        }
      }
      return new Admitted(check(stored, publicKey), stored == fresh && tokenOk, null);
    } finally {
      insert.done().complete(null);
    }
  }

  private void insertAll(List<Insert> batch) {
    GroupCommit.writeOrSplit(
        batch,
        inserts -> {
          List<AgentKey> stored =
              store.insertAllIfAbsent(inserts.stream().map(Insert::key).toList());
          for (int i = 0; i < inserts.size(); i++) {
            inserts.get(i).stored().complete(stored.get(i));
          }
        },
        (insert, e) -> insert.stored().completeExceptionally(e));
  }

  /**
   * Runs {@code decision} under the lock once the agent's key, if it is being stored, is stored (a
   * decision on a key not yet written would be lost when it is).
   */
  private <R> R whenStored(String agentId, Supplier<R> decision) {
    while (true) {
      Insert insert;
      synchronized (this) {
        insert = storing.get(agentId);
        if (insert == null) {
          return decision.get();
        }
      }
      insert.done().join();
    }
  }

  /** The agent that holds {@code publicKey}, or null (never for the plain listener's marker). */
  private String agentOfKey(String publicKey) {
    if (AgentKey.PLAIN.equals(publicKey)) {
      return null;
    }
    return agentByKey.get(publicKey);
  }

  /** Drops the oldest pending keys (never {@code keep}) while there are more than {@code max}. */
  private void dropOldestPendingOver(int max, String keep) {
    List<AgentKey> pending =
        byAgent.values().stream()
            .filter(
                k ->
                    k.state() == KeyState.PENDING
                        && !k.agentId().equals(keep)
                        && !storing.containsKey(k.agentId()))
            .toList();
    int over = pending.size() + 1 - max;
    if (over <= 0) {
      return; // the usual case: nothing to sort
    }
    List<AgentKey> oldest =
        pending.stream()
            .sorted(Comparator.comparing(AgentKey::firstSeen).thenComparing(AgentKey::agentId))
            .limit(over)
            .toList();
    for (AgentKey k : oldest) {
      forget(k.agentId());
      store.delete(k.agentId());
      audit.record(DROPPED_BY, "key.drop", k.agentId(), "over " + max + " pending keys");
      AgentKey gone =
          new AgentKey(
              k.agentId(), k.publicKey(), null, k.firstSeen(), clock.instant(), DROPPED_BY);
      listeners.forEach(l -> l.accept(gone));
    }
  }

  /**
   * Like {@link #verify}, and the key must be accepted: a pending key may only register and send
   * heartbeats.
   */
  public void verifyAccepted(String agentId, String publicKey) {
    AgentKey k = byAgent.get(agentId);
    if (k == null) {
      throw new KeyRefusedException("agent " + agentId + " has not joined; send register first");
    }
    if (check(k, publicKey) == KeyState.PENDING) {
      throw new KeyRefusedException(
          "the key of agent "
              + agentId
              + " waits for 'mschedule keys accept "
              + agentId
              + "' on the master; until then the agent may only register and send heartbeats");
    }
  }

  /** Throws unless {@code publicKey} is the agent's key and it is not rejected. */
  public void verify(String agentId, String publicKey) {
    AgentKey k = byAgent.get(agentId);
    if (k == null) {
      throw new KeyRefusedException("agent " + agentId + " has not joined; send register first");
    }
    check(k, publicKey);
  }

  private static KeyState check(AgentKey k, String publicKey) {
    if (!k.publicKey().equals(publicKey)) {
      throw new KeyRefusedException(
          "agent "
              + k.agentId()
              + " joined with another key; if it was re-installed, delete the old key on the"
              + " master (mschedule keys delete "
              + k.agentId()
              + ")");
    }
    if (k.state() == KeyState.REJECTED) {
      throw new KeyRefusedException("the key of agent " + k.agentId() + " was rejected");
    }
    return k.state();
  }

  public Optional<KeyState> stateOf(String agentId) {
    AgentKey k = byAgent.get(agentId);
    return k == null ? Optional.empty() : Optional.of(k.state());
  }

  /**
   * The state of a key this registry does not hold, read from the store and kept: the key of an
   * agent that joined through another master sharing the database.
   */
  public synchronized Optional<KeyState> learn(String agentId) {
    AgentKey known = byAgent.get(agentId);
    if (known != null) {
      return Optional.of(known.state());
    }
    Optional<AgentKey> stored = store.find(agentId);
    stored.ifPresent(this::remember);
    return stored.map(AgentKey::state);
  }

  /**
   * Takes up the decisions other masters sharing the database made since the last call: a key
   * accepted, rejected or deleted there is so here too (listeners are told, so a rejected agent's
   * links drop), and keys admitted there are learnt.
   *
   * @return how many keys changed here
   */
  public synchronized int refresh() {
    Map<String, AgentKey> stored = new HashMap<>();
    for (AgentKey k : store.findAll()) {
      stored.put(k.agentId(), k);
    }
    int changed = 0;
    for (AgentKey known : List.copyOf(byAgent.values())) {
      if (!stored.containsKey(known.agentId()) && !storing.containsKey(known.agentId())) {
        forget(known.agentId());
        AgentKey gone =
            new AgentKey(
                known.agentId(),
                known.publicKey(),
                null,
                known.firstSeen(),
                null,
                "another master");
        listeners.forEach(l -> l.accept(gone));
        changed++;
      }
    }
    for (AgentKey k : stored.values()) {
      AgentKey known = byAgent.get(k.agentId());
      if (known == null) {
        remember(k);
      } else if (known.state() != k.state() || !known.publicKey().equals(k.publicKey())) {
        remember(k);
        listeners.forEach(l -> l.accept(k));
        changed++;
      }
    }
    return changed;
  }

  public List<AgentKey> list() {
    return store.findAll();
  }

  public Optional<AgentKey> find(String agentId) {
    return Optional.ofNullable(byAgent.get(agentId));
  }

  public boolean accept(String agentId, String by) {
    return decide(agentId, KeyState.ACCEPTED, by);
  }

  /**
   * Accepts every pending key, those being stored when called included (once stored); returns how
   * many.
   */
  public int acceptAll(String by) {
    List<Insert> beingStored;
    synchronized (this) {
      beingStored = List.copyOf(storing.values());
    }
    beingStored.forEach(i -> i.done().join());
    synchronized (this) {
      int n = 0;
      for (AgentKey k : List.copyOf(byAgent.values())) {
        if (k.state() == KeyState.PENDING && !storing.containsKey(k.agentId())) {
          decide(k, KeyState.ACCEPTED, by);
          n++;
        }
      }
      return n;
    }
  }

  public boolean reject(String agentId, String by) {
    return decide(agentId, KeyState.REJECTED, by);
  }

  private boolean decide(String agentId, KeyState to, String by) {
    return whenStored(
        agentId,
        () -> {
          AgentKey k = byAgent.get(agentId);
          if (k == null) {
            return false;
          }
          decide(k, to, by);
          return true;
        });
  }

  public boolean delete(String agentId, String by) {
    return whenStored(agentId, () -> deleteStored(agentId, by));
  }

  private boolean deleteStored(String agentId, String by) {
    AgentKey k = forget(agentId);
    if (k == null) {
      return false;
    }
    store.delete(agentId);
    audit.record(by, "key.delete", agentId, null);
    AgentKey gone = new AgentKey(agentId, k.publicKey(), null, k.firstSeen(), clock.instant(), by);
    listeners.forEach(l -> l.accept(gone));
    return true;
  }

  private void decide(AgentKey k, KeyState to, String by) {
    AgentKey updated = k.decided(to, clock.instant(), by);
    store.update(updated);
    remember(updated);
    audit.record(by, to == KeyState.ACCEPTED ? "key.accept" : "key.reject", k.agentId(), null);
    listeners.forEach(l -> l.accept(updated));
  }

  private AgentKey forget(String agentId) {
    AgentKey k = byAgent.remove(agentId);
    if (k != null) {
      agentByKey.remove(k.publicKey(), agentId);
      rejectedKeys.remove(k.publicKey(), agentId);
    }
    return k;
  }

  private void remember(AgentKey k) {
    AgentKey before = byAgent.put(k.agentId(), k);
    if (before != null) {
      agentByKey.remove(before.publicKey(), before.agentId());
      rejectedKeys.remove(before.publicKey(), before.agentId());
    }
    if (!AgentKey.PLAIN.equals(k.publicKey())) {
      agentByKey.put(k.publicKey(), k.agentId());
    }
    if (k.state() == KeyState.REJECTED && !AgentKey.PLAIN.equals(k.publicKey())) {
      rejectedKeys.put(k.publicKey(), k.agentId());
    } else {
      rejectedKeys.remove(k.publicKey());
    }
  }
}
