package otp4j.runtime;

import java.util.Objects;

/**
 * A registered name used as a destination, Erlang's {@code {Name, node()}}: resolved each time
 * it is used, and silently dropped when nothing is registered under it.
 *
 * @param name the registered name; not blank
 */
public record Name(String name) implements Dest {
    public Name {
        Objects.requireNonNull(name, "name");
        if (name.isBlank())
            throw new IllegalArgumentException("a registered name must not be blank, was \"" + name + "\"");
    }

    @Override
    public String toString() {
        return name;
    }
}
