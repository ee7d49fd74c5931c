package otp4j.dets.internal;

import java.util.Arrays;

/**
 * A key as the codec wrote it: the key directory's key. Two keys are one when their bytes are
 * equal, Erlang's exact match (DETS-035), which also makes {@code byte[]} keys work.
 */
final class KeyBytes {
    final byte[] bytes;
    private final int hash;

    KeyBytes(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyBytes k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
