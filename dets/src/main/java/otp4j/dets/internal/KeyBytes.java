package otp4j.dets.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A key as the codec wrote it, and its 64-bit hash: how a call names a key to the {@link KeyDir}.
 * Two keys are one when their bytes are equal, Erlang's exact match (DETS-035), which also makes
 * {@code byte[]} keys work. The hash only narrows the search: equal hashes are confirmed by the
 * bytes.
 */
final class KeyBytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    final byte[] bytes;
    /** Never 0, which marks an empty slot of the key directory. */
    final long hash;

    KeyBytes(byte[] bytes) {
        this(bytes, hash(bytes));
    }

    /** A key with a given hash: lets a test make keys whose hashes collide. */
    KeyBytes(byte[] bytes, long hash) {
        this.bytes = bytes;
        this.hash = hash;
    }

    /** {@return a 64-bit hash of {@code b}, never 0}: eight bytes a step, each mixed in with a multiply and rotate. */
    static long hash(byte[] b) {
        long h = 0x9E3779B97F4A7C15L ^ b.length;
        int i = 0;
        for (; i + 8 <= b.length; i += 8) {
            h = Long.rotateLeft(h ^ (long) LONGS.get(b, i) * 0xBF58476D1CE4E5B9L, 29) * 0x94D049BB133111EBL;
        }
        long tail = 0;
        for (int s = 0; i < b.length; i++, s += 8) {
            tail |= (long) (b[i] & 0xFF) << s;
        }
        h = Long.rotateLeft(h ^ tail * 0xBF58476D1CE4E5B9L, 29) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        return h == 0 ? 1 : h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyBytes k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hash);
    }
}
