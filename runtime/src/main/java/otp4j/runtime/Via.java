package otp4j.runtime;

import java.util.Objects;

/**
 * A name kept by a {@link NameService}, Erlang's {@code {via, Module, Name}}. Resolved each time
 * it is used; sending to a {@code Via} that nobody holds throws {@link NoProcException}, as
 * sending to an unregistered local name does.
 *
 * @param service where the name is registered
 * @param key     the name, as the service knows it
 */
public record Via(NameService service, Object key) implements Dest {
    public Via {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return "{via, " + service + ", " + key + "}";
    }
}
