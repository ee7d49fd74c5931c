package otp4j.behaviour;

/** A server or child that had to start did not: thrown by {@link StartResult#orThrow()}. */
public final class StartException extends RuntimeException {
    private final transient StartResult result;

    StartException(StartResult result) {
        super(switch (result) {
            case StartResult.Ignored i -> "the server's init returned ignore";
            case StartResult.Failed f -> "the server did not start: " + f.reason();
            case StartResult.Started s -> throw new IllegalArgumentException("started: " + s.pid());
        }, result instanceof StartResult.Failed f && f.reason() instanceof otp4j.runtime.Reason.Crash c
                ? c.exception() : null);
        this.result = result;
    }

    /** {@return what the start returned} */
    public StartResult result() {
        return result;
    }
}
