package otp4j.behaviour;

import java.util.Objects;
import java.util.Optional;

import otp4j.runtime.Reason;

/**
 * An {@link Application} function could not do what it was asked: OTP's {@code {error, Reason}}
 * answers of {@code application:load/start/stop/unload}. {@link #kind()} says which; the message
 * names the application and what to do about it.
 */
public final class ApplicationException extends RuntimeException {

    /** What went wrong, with OTP's error term for it. */
    public enum Kind {
        /** The application, or a dependency {@link Application#ensureAllStarted} needs, is not loaded. */
        NOT_LOADED,
        /** {@code {already_loaded, App}}: a spec of that name is loaded already. */
        ALREADY_LOADED,
        /** {@code {already_started, App}}. */
        ALREADY_STARTED,
        /**
         * {@code {not_started, App}}: for a start, {@link #dependency()} names the dependency that
         * does not run; for a stop, the application itself does not run.
         */
        NOT_STARTED,
        /** {@code {running, App}}: a running application cannot be unloaded. */
        RUNNING,
        /**
         * The start function did not start a top supervisor: it threw, failed, returned null,
         * ignore or a process that is not a supervisor. {@link #reason()} says why.
         */
        START_FAILED,
        /** Applications depend on each other in a cycle. */
        CYCLE,
        /** The node's applications are being stopped, to close the node: nothing starts any more. */
        NODE_STOPPING
    }

    private final Kind kind;
    private final String application;
    private final String dependency;
    private final transient Reason reason;

    ApplicationException(Kind kind, String application, String dependency, Reason reason, String message) {
        super(message, reason instanceof Reason.Crash c ? c.exception() : null);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.application = Objects.requireNonNull(application, "application");
        this.dependency = dependency;
        this.reason = reason;
    }

    /** {@return what went wrong} */
    public Kind kind() {
        return kind;
    }

    /** {@return the application the call was about} */
    public String application() {
        return application;
    }

    /**
     * {@return the dependency at fault: the one not started ({@link Kind#NOT_STARTED}) or not
     * loaded ({@link Kind#NOT_LOADED}) when {@link #application()} needed it}
     */
    public Optional<String> dependency() {
        return Optional.ofNullable(dependency);
    }

    /** {@return why the start failed, for {@link Kind#START_FAILED}} */
    public Optional<Reason> reason() {
        return Optional.ofNullable(reason);
    }

    /**
     * An error as the controller answers it; the client throws it as an exception, so that the
     * stack trace is the caller's.
     */
    record Error(Kind kind, String application, String dependency, Reason reason, String message) {
        ApplicationException toException() {
            return new ApplicationException(kind, application, dependency, reason, message);
        }

        static Error notLoaded(String app) {
            return new Error(Kind.NOT_LOADED, app, null, null, "application " + app
                    + " is not loaded; load its spec first with Application.load(spec)");
        }

        static Error notLoadedDependency(String app, String dependency) {
            return new Error(Kind.NOT_LOADED, app, dependency, null, "application " + app + " needs " + dependency
                    + ", which is not loaded; load its spec with Application.load(spec) first");
        }

        static Error alreadyLoaded(String app) {
            return new Error(Kind.ALREADY_LOADED, app, null, null, "application " + app
                    + " is already loaded; unload it first to load another spec under that name");
        }

        static Error alreadyStarted(String app) {
            return new Error(Kind.ALREADY_STARTED, app, null, null, "application " + app + " is already started");
        }

        static Error notStarted(String app, String dependency) {
            return new Error(Kind.NOT_STARTED, app, dependency, null, "application " + app + " cannot start: it "
                    + "needs " + dependency + ", which is not started; start " + dependency
                    + " first, or use Application.ensureAllStarted(\"" + app + "\")");
        }

        static Error notRunning(String app) {
            return new Error(Kind.NOT_STARTED, app, null, null, "application " + app + " is not started");
        }

        static Error running(String app) {
            return new Error(Kind.RUNNING, app, null, null, "application " + app
                    + " is running; stop it before unloading it");
        }

        static Error startFailed(String app, Reason reason) {
            String why = reason instanceof Reason.Crash c ? c.exception().toString() : reason.toString();
            return new Error(Kind.START_FAILED, app, null, reason, "application " + app + " did not start: " + why);
        }

        static Error cycle(String app, String path) {
            return new Error(Kind.CYCLE, app, null, null, "applications depend on each other in a cycle: " + path
                    + "; remove one of these dependencies");
        }

        static Error nodeStopping(String app) {
            return new Error(Kind.NODE_STOPPING, app, null, null, "application " + app
                    + " cannot start: the node's applications are being stopped to close the node");
        }
    }
}
