package otp4j.samples.chaos;

import java.util.List;

import otp4j.behaviour.ChildSpec;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.behaviour.SupFlags;
import otp4j.behaviour.Supervisor;

/** Children for the chaos monkey to prey on, in tests. */
final class ChildSpecs {
    private ChildSpecs() {
    }

    /** A server that does nothing. */
    private record Idle() implements GenServer<Integer, Object> {
        @Override
        public InitResult<Integer> init() {
            return GenServer.ok(0);
        }
    }

    /** {@return a worker that only waits, with child id {@code id}} */
    static ChildSpec sleeper(String id) {
        return ChildSpec.worker(id, () -> GenServer.startLink(new Idle()));
    }

    /** {@return a supervisor with no children, with child id {@code id}} */
    static ChildSpec emptySupervisor(String id) {
        return ChildSpec.supervisor(id, () -> Supervisor.startLink(SupFlags.oneForOne(), List.of()));
    }
}
