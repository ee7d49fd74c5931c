package otp4j.ets.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Comparator;

import otp4j.ets.BadArgException;

/** The default key order of an ordered set: see {@link otp4j.ets.Ets#keyOrder()}. */
public final class KeyOrder implements Comparator<Object> {
    /** The one instance. */
    public static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {}

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public int compare(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) { // the common key: one test, not the general number walk
            return Long.compare(x, y);
        }
        if (a instanceof Number x && b instanceof Number y && isJdkNumber(x) && isJdkNumber(y)) {
            return compareNumbers(x, y);
        }
        if (a instanceof Comparable ca && a.getClass() == b.getClass()) {
            return ca.compareTo(b);
        }
        if (a instanceof Comparable ca) {
            try {
                return ca.compareTo(b);
            } catch (ClassCastException e) {
                throw incomparable(a, b);
            }
        }
        throw incomparable(a, b);
    }

    static BadArgException incomparable(Object a, Object b) {
        return new BadArgException("key " + a + " (" + a.getClass().getName() + ") cannot be compared with key "
                + b + " (" + b.getClass().getName() + ") in this ordered set; use keys of one Comparable type,"
                + " or give the table a comparator");
    }

    private static boolean isJdkNumber(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof Double || n instanceof Float || n instanceof BigInteger || n instanceof BigDecimal;
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }

    private static int compareNumbers(Number x, Number y) {
        if (isIntegral(x) && isIntegral(y)) {
            return Long.compare(x.longValue(), y.longValue());
        }
        if ((x instanceof Double || x instanceof Float) && (y instanceof Double || y instanceof Float)) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        // Mixed: exact, so that 2^53 + 1 and 2^53 (as a double) are different keys.
        return toBig(x).compareTo(toBig(y));
    }

    private static BigDecimal toBig(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (isIntegral(n)) {
            return BigDecimal.valueOf(n.longValue());
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new BadArgException("key " + n + " is not a finite number; ordered-set keys must be comparable");
        }
        return new BigDecimal(d);
    }

    /** A user's comparator whose ClassCastException becomes the badarg ETS raises for a wrong key. */
    static Comparator<Object> checked(Comparator<Object> c) {
        return (a, b) -> {
            try {
                return c.compare(a, b);
            } catch (ClassCastException e) {
                throw incomparable(a, b);
            }
        };
    }
}
