package otp4j.observer.internal;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import otp4j.runtime.Node;

/**
 * The observer's JMX beans: one for the node, one per table. Table beans follow the tables:
 * after each sample, beans of new tables are registered and those of deleted tables removed
 * (on the sampler's thread only, so registrations never race).
 */
final class Jmx {
    private static final System.Logger LOG = System.getLogger("otp4j.observer");

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final Node node;
    private final Sampler sampler;
    private final List<TableProvider> providers;
    private final ObjectName nodeName;
    /** The table beans registered, by name; their stats, replaced at each sync. */
    private final Map<ObjectName, TableProvider.TableRow> tables = new ConcurrentHashMap<>();

    private Jmx(Node node, Sampler sampler, List<TableProvider> providers) throws JMException {
        this.node = node;
        this.sampler = sampler;
        this.providers = providers;
        this.nodeName = new ObjectName("otp4j:type=Node,name=" + ObjectName.quote(node.name()));
    }

    /** Registers the node's bean and the tables' beans; logs, and goes on without, if it cannot. */
    static Jmx register(Node node, Sampler sampler, List<TableProvider> providers) {
        try {
            Jmx j = new Jmx(node, sampler, providers);
            try {
                j.server.registerMBean(j.new NodeStats(), j.nodeName);
            } catch (InstanceAlreadyExistsException e) {
                LOG.log(System.Logger.Level.WARNING, "otp4j observer: " + j.nodeName
                        + " is registered already (another observer of node " + node.name()
                        + "?); this observer's node bean is left out");
            }
            j.sync();
            return j;
        } catch (JMException e) {
            throw new IllegalStateException("cannot register the observer's JMX beans", e);
        }
    }

    /** Brings the table beans in line with the tables; on the sampler's thread. */
    void sync() {
        Set<ObjectName> seen = new HashSet<>();
        Map<ObjectName, TableProvider.TableRow> rows = new HashMap<>();
        for (TableProvider p : providers) {
            for (TableProvider.TableRow t : p.tables()) {
                try {
                    ObjectName n = new ObjectName("otp4j:type=Table,node=" + ObjectName.quote(node.name())
                            + ",kind=" + t.kind() + ",id=" + t.id() + ",name=" + ObjectName.quote(t.name()));
                    rows.put(n, t);
                    seen.add(n);
                } catch (JMException e) {
                    throw new IllegalStateException("bad bean name for table " + t.id(), e);
                }
            }
        }
        for (Map.Entry<ObjectName, TableProvider.TableRow> e : rows.entrySet()) {
            if (tables.put(e.getKey(), e.getValue()) == null) {
                ObjectName n = e.getKey();
                try {
                    server.registerMBean(new TableStats(n), n);
                } catch (JMException ex) {
                    LOG.log(System.Logger.Level.WARNING, "otp4j observer: cannot register " + n, ex);
                }
            }
        }
        for (ObjectName n : Set.copyOf(tables.keySet())) {
            if (!seen.contains(n)) {
                tables.remove(n);
                unregister(n);
            }
        }
    }

    void unregister() {
        unregister(nodeName);
        for (ObjectName n : Set.copyOf(tables.keySet())) {
            tables.remove(n);
            unregister(n);
        }
    }

    private void unregister(ObjectName n) {
        try {
            server.unregisterMBean(n);
        } catch (InstanceNotFoundException e) {
            // not ours (left out at register), or gone already
        } catch (JMException e) {
            LOG.log(System.Logger.Level.WARNING, "otp4j observer: cannot unregister " + n, e);
        }
    }

    private final class NodeStats implements NodeStatsMXBean {
        private Sampler.SystemSample s() {
            return sampler.latest();
        }

        @Override public int getProcessCount() { return s().processes(); }
        @Override public int getLingeringCount() { return s().lingering(); }
        @Override public int getRunQueue() { return s().runQueue(); }
        @Override public int getCarriers() { return s().carriers(); }
        @Override public long getSpawned() { return s().spawned(); }
        @Override public long getArmedTimers() { return s().armedTimers(); }
        @Override public long getReductionsPerSecond() { return Math.round(s().reductionsPerSecond()); }
        @Override public long getMessagesPerSecond() { return Math.round(s().messagesPerSecond()); }
        @Override public long getProcessMemory() { return s().processMemory(); }

        @Override
        public long getTableMemory() {
            long m = 0;
            for (long t : s().tableMemory()) {
                m += t;
            }
            return m;
        }

        @Override public long getSampleTime() { return s().epochMillis(); }
    }

    private final class TableStats implements TableStatsMXBean {
        private final ObjectName name;
        private final TableProvider.TableRow first;

        TableStats(ObjectName name) {
            this.name = name;
            this.first = tables.get(name);
        }

        /** The latest stats; the last known ones once the table is gone and the bean not yet removed. */
        private TableProvider.TableRow t() {
            TableProvider.TableRow r = tables.get(name);
            return r != null ? r : first;
        }

        @Override public String getName() { return t().name(); }
        @Override public String getKind() { return t().kind(); }
        @Override public String getType() { return t().type(); }
        @Override public String getAccess() { return t().access(); }
        @Override public String getOwner() { return t().owner(); }
        @Override public long getSize() { return t().size(); }
        @Override public long getMemory() { return t().memory(); }
        @Override public long getFileSize() { return t().fileSize(); }
    }
}
