package otp4j.observer;

import java.util.List;
import java.util.Optional;

import otp4j.behaviour.Application;
import otp4j.behaviour.ApplicationSpec;
import otp4j.behaviour.CallResult;
import otp4j.behaviour.ChildSpec;
import otp4j.behaviour.From;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.behaviour.StartOptions;
import otp4j.behaviour.SupFlags;
import otp4j.behaviour.Supervisor;
import otp4j.behaviour.SupervisorSpec;
import otp4j.ets.Access;
import otp4j.ets.Ets;
import otp4j.ets.Table;
import otp4j.ets.TableOptions;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;

/**
 * A known node for the observer's tests: application {@code shop}, whose top supervisor runs
 * server {@code orders} and supervisor {@code workers} (rest for one) of two workers; and
 * tables {@code cache} (public, 3 objects), {@code prices} (protected, 120 objects) and
 * {@code secrets} (private), owned by the calling process.
 */
final class Shop {
    private Shop() {}

    /** The server's state: a password its formatStatus leaves out. */
    record OrderBook(int orders, String password) {
    }

    /** Counts orders; keeps a secret out of its status. */
    record Orders() implements GenServer<OrderBook, String> {
        @Override
        public InitResult<OrderBook> init() {
            return GenServer.ok(new OrderBook(0, "hunter2"));
        }

        @Override
        public CallResult<OrderBook> handleCall(String request, From from, OrderBook book) {
            OrderBook next = new OrderBook(book.orders() + 1, book.password());
            return GenServer.reply("order " + next.orders() + ": " + request, next);
        }

        @Override
        public Object formatStatus(OrderBook book) {
            return "orders=" + book.orders() + " password=<redacted>";
        }
    }

    /** A worker that does nothing but answer. */
    record Worker() implements GenServer<Integer, String> {
        @Override
        public InitResult<Integer> init() {
            return GenServer.ok(0);
        }
    }

    record Tables(Table<String, Integer> cache, Table<Integer, String> prices, Table<String, String> secrets) {
    }

    /** Loads and starts application {@code shop}; the caller must be a process. */
    static void startApplication() {
        Application.load(ApplicationSpec.of("shop", () -> Supervisor.startLink(() -> Optional.of(new SupervisorSpec(
                SupFlags.oneForOne(), List.of(
                        ChildSpec.worker("orders", () -> GenServer.startLink(new Orders(), StartOptions.named("orders"))),
                        ChildSpec.supervisor("workers", () -> Supervisor.startLink(SupFlags.restForOne(), List.of(
                                ChildSpec.worker("w1", () -> GenServer.startLink(new Worker())),
                                ChildSpec.worker("w2", () -> GenServer.startLink(new Worker())))))))),
                StartOptions.named("shop_sup"))).withDescription("a shop").withVersion("1.2.3"));
        Application.start("shop");
    }

    /** Creates the three tables, owned by the caller. */
    static Tables createTables() {
        Table<String, Integer> cache = Ets.newTable("cache", TableOptions.defaults().withAccess(Access.PUBLIC));
        cache.insert("a", 1);
        cache.insert("b", 2);
        cache.insert("c", 3);
        Table<Integer, String> prices = Ets.newTable("prices", TableOptions.defaults().withType(
                otp4j.ets.TableType.ORDERED_SET));
        for (int i = 0; i < 120; i++) {
            prices.insert(i, "price " + i);
        }
        Table<String, String> secrets = Ets.newTable("secrets", TableOptions.defaults().withAccess(Access.PRIVATE));
        secrets.insert("key", "s3cr3t");
        return new Tables(cache, prices, secrets);
    }

    static Pid whereis(String name) {
        return Proc.whereis(name).orElseThrow(() -> new AssertionError("no process " + name));
    }
}
