package otp4j.ets.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;

import otp4j.ets.Counters;

/**
 * Estimates of heap sizes, in bytes, for {@code ets:info(T, memory)}.
 *
 * <p>The layout assumed is HotSpot's on a 64-bit JVM with compressed references and compressed
 * class pointers (the default for heaps under 32 GB): a 12-byte object header, 4-byte
 * references, a 16-byte array header, every object rounded up to 8 bytes. The docs compare these
 * estimates with heap measurements.
 */
final class Footprint {
    private Footprint() {}

    static final int HEADER = 12;
    static final int REF = 4;
    static final int ARRAY_HEADER = 16;

    /** A {@code ConcurrentHashMap.Node}: header, int hash, key, value, next. */
    static final int HASH_NODE = align(HEADER + 4 + 3 * REF);
    /**
     * A {@code ConcurrentSkipListMap.Node} (key, value, next), plus the skip list's index nodes
     * (node, down, right) spread over the entries: a node gets an index tower with probability
     * 1/4, of expected height 2, so half an index node per entry on average.
     */
    static final int SKIP_NODE = align(HEADER + 3 * REF) + align(HEADER + 3 * REF) / 2;
    /** An ordered set's slot: the {@code Map.entry} of the stored key and the value. */
    static final int ENTRY = align(HEADER + 2 * REF);
    /** The table object with its counters, locks and map header, without lock stripes. */
    static final int TABLE = 256;
    /** One lock stripe: a {@code StampedLock} and its reference in the stripe array. */
    static final int STRIPE = align(HEADER + 4 + 8 + 3 * REF) + REF;

    static int align(long bytes) {
        return (int) ((bytes + 7) & ~7L);
    }

    /** Shallow sizes of classes not known below: header plus declared instance fields. */
    private static final ClassValue<Integer> SHALLOW = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> c) {
            long bytes = HEADER;
            for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())) {
                        bytes += fieldSize(f.getType());
                    }
                }
            }
            return align(bytes);
        }
    };

    private static int fieldSize(Class<?> t) {
        if (t == long.class || t == double.class) {
            return 8;
        }
        if (t == int.class || t == float.class) {
            return 4;
        }
        if (t == short.class || t == char.class) {
            return 2;
        }
        if (t == byte.class || t == boolean.class) {
            return 1;
        }
        return REF;
    }

    /**
     * {@return the estimated bytes of {@code o}} Counted whole for the JDK's number types,
     * strings, {@link Counters} and primitive arrays; other objects by their own fields. Values
     * the JDK caches ({@code Long} and {@code Integer} from -128 to 127, booleans ...) are shared,
     * so they count 0; this is decided by value, so two equal keys always count the same.
     */
    static long of(Object o) {
        return switch (o) {
            case Long l -> l >= -128 && l <= 127 ? 0 : 24;
            case Integer i -> i >= -128 && i <= 127 ? 0 : 16;
            case Short s -> s >= -128 && s <= 127 ? 0 : 16;
            case Byte b -> 0;
            case Boolean b -> 0;
            case Character c -> c <= 127 ? 0 : 16;
            case Double d -> 24;
            case Float f -> 16;
            case String s -> string(s);
            case BigInteger b -> bigInteger(b);
            case BigDecimal d -> align(HEADER + 4 + 8 + 4 + 2 * REF)
                    + (d.unscaledValue().bitLength() < 64 ? 0 : bigInteger(d.unscaledValue()));
            case Counters c -> align(HEADER + REF) + align(ARRAY_HEADER + 8L * c.size());
            case byte[] a -> align(ARRAY_HEADER + (long) a.length);
            case boolean[] a -> align(ARRAY_HEADER + (long) a.length);
            case char[] a -> align(ARRAY_HEADER + 2L * a.length);
            case short[] a -> align(ARRAY_HEADER + 2L * a.length);
            case int[] a -> align(ARRAY_HEADER + 4L * a.length);
            case float[] a -> align(ARRAY_HEADER + 4L * a.length);
            case long[] a -> align(ARRAY_HEADER + 8L * a.length);
            case double[] a -> align(ARRAY_HEADER + 8L * a.length);
            case Object[] a -> align(ARRAY_HEADER + (long) REF * a.length);
            default -> SHALLOW.get(o.getClass());
        };
    }

    /** A {@code String} (hash, coder, flag, array) and its byte array: Latin-1 if it fits, else UTF-16. */
    private static long string(String s) {
        int n = s.length();
        int bytesPerChar = 1;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) > 0xFF) {
                bytesPerChar = 2;
                break;
            }
        }
        return align(HEADER + 4 + 1 + 1 + REF) + align(ARRAY_HEADER + (long) bytesPerChar * n);
    }

    /** A {@code BigInteger} (signum, magnitude, four cached ints) and its int array. */
    private static long bigInteger(BigInteger b) {
        return align(HEADER + 4 + REF + 4 * 4) + align(ARRAY_HEADER + 4L * ((b.bitLength() + 31) / 32));
    }

    /** {@return the estimated bytes of a {@code ConcurrentHashMap}'s bucket array for {@code keys} keys} */
    static long hashTable(long keys) {
        // The table starts at 16 buckets and doubles when the count reaches 3/4 of it; it never
        // shrinks, so after many deletes this undercounts.
        long buckets = 16;
        while (buckets - (buckets >>> 2) <= keys) {
            buckets <<= 1;
        }
        return align(ARRAY_HEADER + REF * buckets);
    }
}
