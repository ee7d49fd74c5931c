package otp4j.behaviour;

import java.util.Objects;
import java.util.Optional;

import otp4j.runtime.Pid;

/**
 * An application as {@link Application#whichApplications()} and
 * {@link Application#loadedApplications()} list it: OTP's {@code {Name, Description, Vsn}}, with
 * what an observer needs to draw its tree.
 *
 * @param name        its name
 * @param description its description
 * @param version     its version
 * @param supervisor  its top supervisor, while it runs
 * @param type        how it was started, while it runs
 */
public record ApplicationInfo(String name, String description, String version, Optional<Pid> supervisor,
                              Optional<Application.RestartType> type) {
    public ApplicationInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(supervisor, "supervisor");
        Objects.requireNonNull(type, "type");
    }

    /** {@return whether the application runs} */
    public boolean running() {
        return supervisor.isPresent();
    }
}
