package otp4j.observer.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import otp4j.behaviour.Application;
import otp4j.behaviour.ApplicationInfo;
import otp4j.behaviour.ChildInfo;
import otp4j.behaviour.ChildType;
import otp4j.behaviour.ServerStatus;
import otp4j.behaviour.SupervisorStatus;
import otp4j.behaviour.Sys;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.internal.Introspection;

/**
 * The supervision trees of a node: each running application with its top supervisor, and every
 * supervisor, as a tree. Asks only supervisors, and only with {@code sys} requests, which every
 * supervisor answers (even a suspended one); runs inside an errand process (see {@link Calls}).
 */
final class Trees {
    /** The callback classes of otp4j's two supervisors: the processes worth asking. */
    private static final Set<String> SUPERVISORS =
            Set.of("otp4j.behaviour.SupervisorServer", "otp4j.behaviour.DynamicSupervisorServer");

    private Trees() {}

    static boolean isSupervisor(Class<?> behaviour) {
        return behaviour != null && SUPERVISORS.contains(behaviour.getName());
    }

    /** A supervisor's answer, or why there is none. */
    private record Sup(Pid pid, SupervisorStatus status, String error) {
    }

    /** Writes {@code {applications: [...], trees: [...]}}. Must run in a process. */
    static void write(Json j, Node node, ProcessSnapshot snap) {
        Map<Pid, Sup> sups = new LinkedHashMap<>();
        for (int i = 0; i < snap.size; i++) {
            if (isSupervisor(snap.behaviour[i])) {
                Pid p = snap.pid[i];
                sups.put(p, ask(p));
            }
        }
        Set<Pid> children = new HashSet<>();
        for (Sup s : sups.values()) {
            if (s.status() != null) {
                for (ChildInfo c : s.status().children()) {
                    c.pid().ifPresent(children::add);
                }
            }
        }
        Map<Pid, String> appOf = new HashMap<>();
        List<ApplicationInfo> apps = node.whereis(Application.CONTROLLER).isPresent()
                ? Application.whichApplications() : List.of();
        j.name("applications").beginArray();
        for (ApplicationInfo a : apps) {
            j.beginObject().field("name", a.name()).field("description", a.description())
                    .field("version", a.version())
                    .field("supervisor", a.supervisor().map(Pid::toString).orElse(null))
                    .field("type", a.type().map(t -> t.name().toLowerCase(Locale.ROOT)).orElse(null))
                    .endObject();
            a.supervisor().ifPresent(p -> appOf.put(p, a.name()));
        }
        j.endArray();
        j.name("trees").beginArray();
        for (Sup s : sups.values()) {
            if (!children.contains(s.pid())) {
                j.beginObject().field("application", appOf.get(s.pid()));
                j.name("root");
                node(j, snap, sups, s.pid(), null, ChildType.SUPERVISOR, new HashSet<>());
                j.endObject();
            }
        }
        j.endArray();
    }

    private static Sup ask(Pid p) {
        try {
            ServerStatus st = Sys.getStatus(p);
            if (st.state() instanceof SupervisorStatus s) {
                return new Sup(p, s, null);
            }
            return new Sup(p, null, "its status is not a supervisor's");
        } catch (RuntimeException e) {
            return new Sup(p, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static void node(Json j, ProcessSnapshot snap, Map<Pid, Sup> sups, Pid pid, Object id, ChildType type,
                             Set<Pid> seen) {
        j.beginObject();
        j.field("pid", pid == null ? null : pid.toString());
        j.field("id", id == null ? null : Text.show(id));
        j.field("type", type.name().toLowerCase(Locale.ROOT));
        int row = pid == null ? -1 : snap.indexOf(Introspection.serial(pid));
        j.field("name", row >= 0 ? snap.name[row] : null);
        j.field("initialCall", row >= 0 ? behaviourOrCall(snap, row) : null);
        Sup s = pid == null ? null : sups.get(pid);
        if (s != null && seen.add(pid)) {
            if (s.status() != null) {
                SupervisorStatus st = s.status();
                j.field("strategy", st.strategy().name().toLowerCase(Locale.ROOT));
                j.field("dynamic", st.dynamic());
                j.field("restarts", st.restarts());
                j.name("children").beginArray();
                for (ChildInfo c : st.children()) {
                    node(j, snap, sups, c.pid().orElse(null), c.id(), c.type(), seen);
                }
                j.endArray();
            } else {
                j.field("error", s.error());
            }
        }
        j.endObject();
    }

    static String behaviourOrCall(ProcessSnapshot snap, int row) {
        Class<?> b = snap.behaviour[row];
        return b != null ? b.getName() : snap.initialCall[row];
    }
}
