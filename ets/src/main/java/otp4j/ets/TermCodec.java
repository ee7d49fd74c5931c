package otp4j.ets;

import java.util.Set;

import otp4j.ets.internal.StandardCodec;

/**
 * How keys and values are written as bytes: by {@link Ets#tab2file} and read back by
 * {@link Ets#file2tab}, and by the disk tables of the {@code dets} module. The file records the
 * codec's {@link #name()}, and a file is read only with a codec of the same name.
 * Implementations must be safe to call from several threads.
 */
public interface TermCodec {

    /** {@return the codec's name, stored in the file; short, and unique among codecs in use} */
    String name();

    /**
     * {@return {@code term} as bytes}
     *
     * @throws IllegalArgumentException if the codec cannot write {@code term}; the message says why
     */
    byte[] encode(Object term);

    /**
     * {@return the term that {@link #encode} wrote as {@code bytes}}
     *
     * @throws IllegalArgumentException if {@code bytes} are not a term of this codec; the message says why
     */
    Object decode(byte[] bytes);

    /**
     * {@return the standard codec, with no registered types} It writes, with no Java
     * serialization and no reflection on classes the bytes name:
     *
     * <ul>
     * <li>{@code null}, {@code Boolean}, {@code Byte}, {@code Short}, {@code Integer}, {@code Long},
     *     {@code Float}, {@code Double}, {@code BigInteger}, {@code BigDecimal}, {@code Character},
     *     {@code String} and {@code byte[]}, each read back as the same class;</li>
     * <li>any {@link java.util.List}, read back as an unmodifiable list in the same order;</li>
     * <li>any {@link java.util.Set} and {@link java.util.Map}, read back as an unmodifiable set or
     *     map that iterates in the order the original iterated when it was written (a sorted set
     *     comes back sorted, but without its comparator);</li>
     * <li>{@link Counters}, and the comparators {@link java.util.Comparator#naturalOrder()},
     *     {@link java.util.Comparator#reverseOrder()} and {@link Ets#keyOrder()};</li>
     * <li>records and enums of the types given to {@link Standard#withTypes}, by class name.</li>
     * </ul>
     *
     * <p>The format is versioned and compact (variable-length integers, one byte of tag per
     * term). Reading checks every length against the bytes that remain, so damaged or forged
     * input is an {@link IllegalArgumentException} naming the offset and what was expected,
     * never a huge allocation, a hang or another exception; and it constructs only the registered
     * types, through their canonical constructors, so a file can never make the reader load or
     * run an arbitrary class.
     */
    static Standard standard() {
        return StandardCodec.EMPTY;
    }

    /**
     * The {@linkplain #standard() standard codec}, with the record and enum types it may write and
     * read. Immutable: {@link #withTypes} returns a new codec.
     */
    interface Standard extends TermCodec {
        /**
         * {@return a codec that also writes and reads {@code types}}: records (component by component,
         * through the canonical constructor) and enums (by constant name). A record's components
         * may be of any type this codec writes, including other registered types. A file that
         * names a type the reading codec has not registered is rejected with a message naming it.
         *
         * @throws IllegalArgumentException if a type is neither a record nor an enum, or its
         *                                  canonical constructor or accessors cannot be reached
         */
        Standard withTypes(Class<?>... types);

        /** {@return the registered record and enum types} */
        Set<Class<?>> types();
    }
}
