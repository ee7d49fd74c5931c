package otp4j.ets;

import otp4j.ets.internal.JavaSerializationCodec;

/**
 * How {@link Ets#tab2file} writes keys and values as bytes, and {@link Ets#file2tab} reads them
 * back. The file records the codec's {@link #name()}, and a file is read only with a codec of the
 * same name. Implementations must be safe to call from several threads.
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
     * {@return the default codec: Java serialization} Keys, values and an ordered set's
     * comparator must be {@link java.io.Serializable}, and so must everything they refer to;
     * writing one that is not fails naming the class. Reading deserialises whatever classes the
     * file names: read only files you trust (the file's checksum detects damage, not forgery).
     */
    static TermCodec javaSerialization() {
        return JavaSerializationCodec.INSTANCE;
    }
}
