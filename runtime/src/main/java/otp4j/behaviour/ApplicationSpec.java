package otp4j.behaviour;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What OTP keeps in an application's {@code .app} file: its name, description, version, callback
 * module ({@code mod}), default environment ({@code env}) and the applications that must run
 * before it ({@code applications}). Immutable: make one with {@link #of} and add to it with the
 * {@code with…} methods, then {@link Application#load} it.
 *
 * {@snippet :
 * ApplicationSpec db = ApplicationSpec.of("db", () -> Supervisor.startLink(SupFlags.oneForOne(), pools))
 *         .withVersion("1.2.0")
 *         .withEnv("pool_size", 10);
 * ApplicationSpec shop = ApplicationSpec.of("shop", new ShopCallbacks())
 *         .withDescription("the web shop")
 *         .withDependencies("db");
 * }
 *
 * <p>Dependencies are names, as in a {@code .app} file: each must be loaded with its own spec
 * before {@link Application#ensureAllStarted} can start it. A cycle ({@code a} needs {@code b},
 * {@code b} needs {@code a}) is refused by the {@link Application#load} that would close it.
 *
 * @param name         the application's name, unique on a node; not blank, and without
 *                     {@code .}, since it is part of the system properties that override its
 *                     environment ({@code otp4j.app.<name>.<key>})
 * @param description  a line for people; empty by default
 * @param version      its version, OTP's {@code vsn}; empty by default
 * @param callbacks    its start function (which returns its top supervisor) and stop hooks
 * @param env          the default environment, read with {@link Application#getEnv}; no null
 *                     keys or values
 * @param dependencies the names of the applications that must run before it starts, in the order
 *                     {@link Application#ensureAllStarted} starts them; no duplicates, not
 *                     itself
 */
public record ApplicationSpec(String name, String description, String version, ApplicationCallbacks callbacks,
                              Map<String, Object> env, List<String> dependencies) {

    public ApplicationSpec {
        checkName(name, "name");
        Objects.requireNonNull(description, () -> "description of application " + name + ": use \"\" for none");
        Objects.requireNonNull(version, () -> "version of application " + name + ": use \"\" for none");
        Objects.requireNonNull(callbacks, () -> "callbacks: application " + name + " needs at least a start "
                + "function, such as () -> Supervisor.startLink(flags, children)");
        Objects.requireNonNull(env, () -> "env of application " + name + ": use Map.of() for none");
        env.forEach((k, v) -> {
            Objects.requireNonNull(k, () -> "a key of the environment of application " + name);
            Objects.requireNonNull(v, () -> "the value of key " + k + " in the environment of application " + name
                    + ": leave the key out instead of mapping it to null");
        });
        env = Map.copyOf(env);
        Objects.requireNonNull(dependencies, () -> "dependencies of application " + name + ": use List.of() for none");
        Set<String> seen = new HashSet<>();
        for (String d : dependencies) {
            checkName(d, "a dependency of application " + name);
            if (d.equals(name)) {
                throw new IllegalArgumentException("application " + name + " lists itself as a dependency");
            }
            if (!seen.add(d)) {
                throw new IllegalArgumentException("application " + name + " lists dependency " + d + " twice");
            }
        }
        dependencies = List.copyOf(dependencies);
    }

    /**
     * {@return an application named {@code name} with {@code callbacks}; no description, version,
     * environment or dependencies}
     */
    public static ApplicationSpec of(String name, ApplicationCallbacks callbacks) {
        return new ApplicationSpec(name, "", "", callbacks, Map.of(), List.of());
    }

    /** {@return a copy with {@code description}} */
    public ApplicationSpec withDescription(String description) {
        return new ApplicationSpec(name, description, version, callbacks, env, dependencies);
    }

    /** {@return a copy with {@code version}} */
    public ApplicationSpec withVersion(String version) {
        return new ApplicationSpec(name, description, version, callbacks, env, dependencies);
    }

    /** {@return a copy whose default environment also maps {@code key} to {@code value}} */
    public ApplicationSpec withEnv(String key, Object value) {
        Objects.requireNonNull(key, () -> "key of the environment of application " + name);
        Objects.requireNonNull(value, () -> "the value of key " + key + " of application " + name);
        Map<String, Object> more = new HashMap<>(env);
        more.put(key, value);
        return new ApplicationSpec(name, description, version, callbacks, more, dependencies);
    }

    /** {@return a copy with {@code env} as its whole default environment} */
    public ApplicationSpec withEnv(Map<String, Object> env) {
        return new ApplicationSpec(name, description, version, callbacks, env, dependencies);
    }

    /** {@return a copy with {@code dependencies} as its dependencies, in that order} */
    public ApplicationSpec withDependencies(String... dependencies) {
        Objects.requireNonNull(dependencies, () -> "dependencies of application " + name);
        return new ApplicationSpec(name, description, version, callbacks, env, Arrays.asList(dependencies));
    }

    @Override
    public String toString() {
        // Without the callbacks: a lambda's name says nothing.
        return "ApplicationSpec[" + name + (version.isEmpty() ? "" : " " + version)
                + (description.isEmpty() ? "" : ", \"" + description + "\"")
                + (dependencies.isEmpty() ? "" : ", needs " + dependencies)
                + (env.isEmpty() ? "" : ", env " + env.keySet()) + "]";
    }

    static void checkName(String name, String what) {
        Objects.requireNonNull(name, () -> what + ": every application needs a name, unique on its node");
        if (name.isBlank()) {
            throw new IllegalArgumentException(what + ": an application name must not be blank, was \"" + name + "\"");
        }
        if (name.contains(".")) {
            throw new IllegalArgumentException(what + ": application name \"" + name + "\" contains '.'; names are "
                    + "part of the system properties otp4j.app.<name>.<key>, so use another separator, such as '_'");
        }
    }
}
