package io.mschedule.master.relay;

import static org.msgpack.value.ValueFactory.newString;

import io.mschedule.master.api.Views;
import io.mschedule.protocol.message.RelayMessages;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * Gives an agent registering through a relay the label {@code datacenter=NAME} of its relay, unless
 * the agent set that label itself; so {@code -t datacenter=east} selects a site's agents.
 */
final class DatacenterLabel {
  private DatacenterLabel() {}

  /** The carried register with the label added; other calls unchanged. */
  static RelayMessages.Call add(RelayMessages.Call c, String datacenter) {
    List<Value> args = c.args();
    if (args.size() != 1 || !args.get(0).isMapValue()) {
      return c;
    }
    Map<Value, Value> msg = new LinkedHashMap<>(args.get(0).asMapValue().map());
    Value payload = msg.get(newString("payload"));
    if (payload == null || !payload.isMapValue()) {
      return c;
    }
    Map<Value, Value> p = new LinkedHashMap<>(payload.asMapValue().map());
    Value labels = p.get(newString("labels"));
    Map<Value, Value> l = new LinkedHashMap<>();
    if (labels != null && labels.isMapValue()) {
      l.putAll(labels.asMapValue().map());
    } else if (labels != null && !labels.isNilValue()) {
      return c; // malformed: the agent handler names the field
    }
    l.putIfAbsent(newString(Views.DATACENTER_LABEL), newString(datacenter));
    p.put(newString("labels"), ValueFactory.newMap(l));
    msg.put(newString("payload"), ValueFactory.newMap(p));
    return new RelayMessages.Call(
        c.relayId(), c.method(), c.agentKey(), c.agentAddress(), List.of(ValueFactory.newMap(msg)));
  }
}
