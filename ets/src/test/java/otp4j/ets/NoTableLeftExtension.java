package otp4j.ets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import otp4j.ets.internal.NodeTables;

/**
 * Fails a test that leaves a table behind on a closed node. Register it before
 * {@code NodeExtension} ({@code @ExtendWith({NoTableLeftExtension.class, NodeExtension.class})}):
 * extensions registered first run their after-each last, so the node is closed by then, and
 * every table on it must have been deleted with its owner. Only tables that did not exist before
 * the test count, so a leak fails the test that caused it, not the ones after it.
 */
public final class NoTableLeftExtension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoTableLeftExtension.class);

    @Override
    public void beforeEach(ExtensionContext ec) {
        Set<Table<?, ?>> before = Collections.newSetFromMap(new IdentityHashMap<>());
        before.addAll(NodeTables.everyTable());
        ec.getStore(NS).put(Set.class, before);
    }

    @Override
    public void afterEach(ExtensionContext ec) {
        Set<?> before = ec.getStore(NS).remove(Set.class, Set.class);
        assertThat(NodeTables.everyTable())
                .as("tables of closed nodes (every table must die with its owner)")
                .filteredOn(t -> !before.contains(t))
                .filteredOn(t -> t.info().map(i -> i.owner().node().isClosed()).orElse(false))
                .isEmpty();
    }
}
