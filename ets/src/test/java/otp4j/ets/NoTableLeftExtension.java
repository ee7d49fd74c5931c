package otp4j.ets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import otp4j.ets.internal.NodeTables;

/**
 * Fails a test that leaves a table behind on a closed node. Register it before
 * {@code NodeExtension} ({@code @ExtendWith({NoTableLeftExtension.class, NodeExtension.class})}):
 * extensions registered first run their after-each last, so the node is closed by then, and
 * every table on it must have been deleted with its owner.
 */
public final class NoTableLeftExtension implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext ec) {
        assertThat(NodeTables.everyTable())
                .as("tables of closed nodes (every table must die with its owner)")
                .filteredOn(t -> t.info().map(i -> i.owner().node().isClosed()).orElse(false))
                .isEmpty();
    }
}
