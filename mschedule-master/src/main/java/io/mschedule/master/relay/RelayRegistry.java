package io.mschedule.master.relay;

import io.mschedule.master.store.RelayRecord;
import io.mschedule.master.store.RelayStore;
import io.mschedule.protocol.message.RelayMessages;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The relays this master knows, their order streams, and which agent came through which. */
public final class RelayRegistry {
  /** A relay as the API shows it. */
  public record RelayView(
      String id,
      String datacenter,
      String address,
      String state,
      int agents,
      long spoolBytes,
      Instant lastSeen) {}

  public static final String ONLINE = "online";
  public static final String OFFLINE = "offline";

  private static final class Entry {
    volatile RelayRecord record;
    volatile Instant lastSeen;
    volatile RelayLink link;

    /** When the relay's session ended, while it is down; null while up or never seen up. */
    volatile Instant downSince;

    /** When the current session's stream opened, and until when its agents may come back. */
    volatile Instant attachedAt;

    volatile Instant rejoinUntil;
  }

  private final RelayStore store;
  private final Clock clock;
  private final java.time.Duration grace;
  private final java.time.Duration silentAfter;
  private final Map<String, Entry> relays = new ConcurrentHashMap<>();
  private final Map<String, String> agentRelay = new ConcurrentHashMap<>();
  private final Map<String, Instant> agentSeenVia = new ConcurrentHashMap<>();

  /** Loads the relays known from earlier runs (offline until they connect). */
  /**
   * @param grace how long the agents of a relay that lost its session stay {@code unreachable}
   *     (relay-grace)
   * @param heartbeat how often a relay sends {@code relay_heartbeat}
   */
  public RelayRegistry(
      RelayStore store, Clock clock, java.time.Duration grace, java.time.Duration heartbeat) {
    this.store = store;
    this.clock = clock;
    this.grace = grace;
    this.silentAfter = heartbeat.multipliedBy(2);
    for (RelayRecord r : store.all()) {
      Entry e = new Entry();
      e.record = r;
      e.lastSeen = r.lastSeen();
      relays.put(r.id(), e);
    }
  }

  void registered(RelayMessages.Registration r) {
    Entry e = relays.computeIfAbsent(r.id(), id -> new Entry());
    Instant now = clock.instant();
    RelayRecord old = e.record;
    RelayRecord rec =
        new RelayRecord(
            r.id(),
            r.datacenter(),
            r.address(),
            r.version(),
            r.spoolBytes(),
            old == null ? now : old.firstSeen(),
            now);
    store.save(rec);
    e.record = rec;
    e.lastSeen = now;
  }

  /** The datacenter the relay named when it registered, or null. */
  String datacenter(String relayId) {
    Entry e = relays.get(relayId);
    return e == null || e.record == null ? null : e.record.datacenter();
  }

  void seen(String relayId) {
    Entry e = relays.get(relayId);
    if (e != null) {
      e.lastSeen = clock.instant();
    }
  }

  void heartbeat(String relayId, long spoolBytes) {
    Entry e = relays.get(relayId);
    if (e != null) {
      e.lastSeen = clock.instant();
      RelayRecord r = e.record;
      if (r != null && r.spoolBytes() != spoolBytes) {
        e.record =
            new RelayRecord(
                r.id(),
                r.datacenter(),
                r.address(),
                r.version(),
                spoolBytes,
                r.firstSeen(),
                r.lastSeen());
      }
    }
  }

  /** The relay's open order stream, or null. */
  RelayLink link(String relayId) {
    Entry e = relays.get(relayId);
    RelayLink l = e == null ? null : e.link;
    return l != null && l.isOpen() ? l : null;
  }

  /** Makes {@code link} the relay's order stream; an older one ends with its agents' streams. */
  void attach(RelayLink link) {
    Entry e = relays.computeIfAbsent(link.relayId(), id -> new Entry());
    RelayLink old;
    synchronized (e) {
      old = e.link;
      e.link = link;
    }
    Instant now = clock.instant();
    e.lastSeen = now;
    e.attachedAt = now;
    e.rejoinUntil = now.plus(silentAfter);
    e.downSince = null;
    if (old != null && old != link) {
      old.close();
    }
  }

  /** The relay's stream {@code link} ended. */
  void detach(RelayLink link) {
    Entry e = relays.get(link.relayId());
    if (e != null) {
      synchronized (e) {
        if (e.link == link) {
          e.link = null;
          e.downSince = clock.instant();
        }
      }
      e.lastSeen = clock.instant();
      RelayRecord r = e.record;
      if (r != null) {
        store.seen(r.id(), r.spoolBytes(), e.lastSeen);
      }
    }
    link.close();
  }

  void agentVia(String agentId, String relayId) {
    agentRelay.put(agentId, relayId);
    agentSeenVia.put(agentId, clock.instant());
  }

  void agentDirect(String agentId) {
    agentRelay.remove(agentId);
    agentSeenVia.remove(agentId);
  }

  /** The relay the agent last came through; empty for an agent connected straight here. */
  public Optional<String> relayOf(String agentId) {
    return Optional.ofNullable(agentRelay.get(agentId));
  }

  /**
   * The agent came through a relay that fell silent (no heartbeat for two intervals, before the
   * session's own heartbeats tell it is gone) or whose session ended less than relay-grace ago: the
   * agent is cut off, not gone, and its runs are not declared lost yet. When the relay's session is
   * back, its agents stay so until they come through it again (the relay subscribes again for each
   * at once), for two heartbeat intervals at most: the master last heard of them before the cut.
   */
  public boolean unreachable(String agentId) {
    String relayId = agentRelay.get(agentId);
    Entry e = relayId == null ? null : relays.get(relayId);
    if (e == null) {
      return false;
    }
    Instant now = clock.instant();
    Instant down = e.downSince;
    if (down != null) {
      return now.isBefore(down.plus(grace));
    }
    Instant until = e.rejoinUntil;
    Instant attached = e.attachedAt;
    if (until != null && attached != null && now.isBefore(until)) {
      Instant seen = agentSeenVia.get(agentId);
      if (seen == null || seen.isBefore(attached)) {
        return true; // not back through the new session yet
      }
    }
    return e.link != null && silent(e, now);
  }

  /** No heartbeat from the relay for two intervals. */
  private boolean silent(Entry e, Instant now) {
    Instant last = e.lastSeen;
    return last != null && now.isAfter(last.plus(silentAfter));
  }

  /** The datacenter of the relay the agent came through. */
  public Optional<String> datacenterOf(String agentId) {
    return relayOf(agentId).map(this::datacenter);
  }

  public List<RelayView> list() {
    return relays.entrySet().stream()
        .filter(en -> en.getValue().record != null)
        .map(
            en -> {
              Entry e = en.getValue();
              RelayRecord r = e.record;
              RelayLink l = e.link;
              boolean up = l != null && l.isOpen() && !silent(e, clock.instant());
              return new RelayView(
                  en.getKey(),
                  r.datacenter(),
                  r.address(),
                  up ? ONLINE : OFFLINE,
                  up ? l.agentCount() : 0,
                  r.spoolBytes(),
                  e.lastSeen);
            })
        .sorted(Comparator.comparing(RelayView::id))
        .toList();
  }
}
