package otp4j.ets.internal;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import otp4j.ets.Counters;
import otp4j.ets.TermCodec;

/**
 * {@link TermCodec#standard()}. The format of one term, after a version byte (1):
 *
 * <pre>
 * term     = tag u8, then by tag:
 *   0 null | 1 false | 2 true
 *   3 Byte: 1 byte | 4 Short, 5 Integer, 6 Long: zigzag varint | 7 Float: 4 bytes | 8 Double: 8 bytes
 *   9 BigInteger: varint n, n bytes two's complement big-endian
 *  10 BigDecimal: zigzag varint scale, then as BigInteger the unscaled value
 *  11 Character: varint | 12 String: varint n, n bytes UTF-8 | 13 byte[]: varint n, n bytes
 *  14 List, 15 Set: varint n, n terms | 16 Map: varint n, n pairs of terms
 *  17 record: type, varint n (components), n terms | 18 enum: type, then the constant's name as a string
 *  19 Counters: varint n (at least 1), n zigzag varints
 *  20 comparator: u8 0 natural order, 1 reverse order, 2 Ets.keyOrder()
 * type     = varint r: r = 0 introduces a class name (varint n, n bytes UTF-8), which gets the next
 *            number of this term's name table; r &gt; 0 repeats name r - 1
 * varint   = unsigned LEB128, at most 10 bytes; zigzag maps signed to unsigned
 * </pre>
 *
 * Decoding never trusts a length: each must fit in the bytes that remain, so a forged length
 * cannot make it allocate more than the input's size, and nesting deeper than {@link #MAX_DEPTH}
 * is rejected rather than overflowing the stack.
 */
public final class StandardCodec implements TermCodec.Standard {

    /** The codec with no registered types. */
    public static final StandardCodec EMPTY = new StandardCodec(Map.of());

    /** The format version this codec writes; it reads only this one. */
    static final int VERSION = 1;

    /** Deepest nesting written or read: deep enough for any data, shallow enough for any stack. */
    static final int MAX_DEPTH = 500;

    private static final int NULL = 0, FALSE = 1, TRUE = 2, BYTE = 3, SHORT = 4, INT = 5, LONG = 6, FLOAT = 7,
            DOUBLE = 8, BIGINT = 9, BIGDEC = 10, CHAR = 11, STRING = 12, BYTES = 13, LIST = 14, SET = 15, MAP = 16,
            RECORD = 17, ENUM = 18, COUNTERS = 19, COMPARATOR = 20;

    /** A registered type: how to take a record apart and build it, or an enum's constants by name. */
    private record Type(Class<?> type, MethodHandle[] accessors, MethodHandle constructor, Map<String, Object> constants) {
    }

    /** By class name: the only classes decoding can produce besides the built-ins. */
    private final Map<String, Type> byName;

    private StandardCodec(Map<String, Type> byName) {
        this.byName = byName;
    }

    @Override
    public String name() {
        return "standard";
    }

    @Override
    public Standard withTypes(Class<?>... types) {
        Objects.requireNonNull(types, "types");
        Map<String, Type> m = new HashMap<>(byName);
        for (Class<?> c : types) {
            Objects.requireNonNull(c, "types contains null");
            m.put(c.getName(), describe(c));
        }
        return new StandardCodec(Map.copyOf(m));
    }

    @Override
    public Set<Class<?>> types() {
        Set<Class<?>> s = new LinkedHashSet<>();
        byName.values().forEach(t -> s.add(t.type()));
        return Collections.unmodifiableSet(s);
    }

    private static Type describe(Class<?> c) {
        if (c.isEnum()) {
            Map<String, Object> constants = new HashMap<>();
            for (Object k : c.getEnumConstants()) {
                constants.put(((Enum<?>) k).name(), k);
            }
            return new Type(c, null, null, Map.copyOf(constants));
        }
        if (!c.isRecord()) {
            throw new IllegalArgumentException("withTypes: " + c.getName()
                    + " is neither a record nor an enum; the standard codec writes only those (and the built-in types), "
                    + "or plug in a TermCodec of your own");
        }
        RecordComponent[] rc = c.getRecordComponents();
        MethodHandle[] accessors = new MethodHandle[rc.length];
        Class<?>[] params = new Class<?>[rc.length];
        try {
            for (int i = 0; i < rc.length; i++) {
                var m = rc[i].getAccessor();
                m.setAccessible(true);
                accessors[i] = MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
                params[i] = rc[i].getType();
            }
            Constructor<?> k = c.getDeclaredConstructor(params);
            k.setAccessible(true);
            MethodHandle ctor = MethodHandles.lookup().unreflectConstructor(k).asSpreader(Object[].class, rc.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
            return new Type(c, accessors, ctor, null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("withTypes: cannot reach the canonical constructor and accessors of record "
                    + c.getName() + " (" + e + "); if it is in a named module, open its package to otp4j.ets", e);
        }
    }

    // ---------------------------------------------------------------- encoding

    @Override
    public byte[] encode(Object term) {
        Encoder e = new Encoder();
        e.out.write(VERSION);
        e.term(term, 0);
        return e.out.toByteArray();
    }

    private final class Encoder {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        private Map<Class<?>, Integer> names;

        void term(Object t, int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("the term nests deeper than " + MAX_DEPTH
                        + " levels (does a collection or record contain itself?)");
            }
            switch (t) {
                case null -> out.write(NULL);
                case Boolean b -> out.write(b ? TRUE : FALSE);
                case Byte b -> {
                    out.write(BYTE);
                    out.write(b);
                }
                case Short s -> signed(SHORT, s);
                case Integer i -> signed(INT, i);
                case Long l -> signed(LONG, l);
                case Float f -> {
                    out.write(FLOAT);
                    fixed(Float.floatToRawIntBits(f), 4);
                }
                case Double d -> {
                    out.write(DOUBLE);
                    fixed(Double.doubleToRawLongBits(d), 8);
                }
                case BigInteger b -> {
                    out.write(BIGINT);
                    bytes(b.toByteArray());
                }
                case BigDecimal b -> {
                    out.write(BIGDEC);
                    varint(zigzag(b.scale()));
                    bytes(b.unscaledValue().toByteArray());
                }
                case Character c -> {
                    out.write(CHAR);
                    varint(c);
                }
                case String s -> {
                    out.write(STRING);
                    bytes(s.getBytes(StandardCharsets.UTF_8));
                }
                case byte[] b -> {
                    out.write(BYTES);
                    bytes(b);
                }
                case List<?> l -> {
                    out.write(LIST);
                    varint(l.size());
                    for (Object o : l) {
                        term(o, depth + 1);
                    }
                }
                case Set<?> s -> {
                    out.write(SET);
                    varint(s.size());
                    for (Object o : s) {
                        term(o, depth + 1);
                    }
                }
                case Map<?, ?> m -> {
                    out.write(MAP);
                    varint(m.size());
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        term(e.getKey(), depth + 1);
                        term(e.getValue(), depth + 1);
                    }
                }
                case Counters c -> {
                    out.write(COUNTERS);
                    varint(c.size());
                    for (int i = 0; i < c.size(); i++) {
                        varint(zigzag(c.get(i)));
                    }
                }
                // Before Enum: the JDK's natural-order comparator is an enum constant.
                case Comparator<?> c when c == Comparator.naturalOrder() -> comparator(0);
                case Comparator<?> c when c == Comparator.reverseOrder() -> comparator(1);
                case Comparator<?> c when c == KeyOrder.INSTANCE -> comparator(2);
                case Enum<?> e -> {
                    registered(e.getDeclaringClass());
                    out.write(ENUM);
                    type(e.getDeclaringClass());
                    bytes(e.name().getBytes(StandardCharsets.UTF_8));
                }
                case Record r -> {
                    Type type = registered(r.getClass());
                    out.write(RECORD);
                    type(r.getClass());
                    varint(type.accessors().length);
                    for (MethodHandle a : type.accessors()) {
                        term(component(a, r), depth + 1);
                    }
                }
                default -> throw new IllegalArgumentException("the standard codec cannot write a " + t.getClass().getName()
                        + ": it writes null, booleans, numbers, Character, String, byte[], List, Set, Map, "
                        + "Counters, and records and enums registered with TermCodec.standard().withTypes(...)");
            }
        }

        private Object component(MethodHandle accessor, Record r) {
            try {
                return (Object) accessor.invokeExact((Object) r);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalArgumentException("an accessor of " + r.getClass().getName() + " failed: " + e, e);
            }
        }

        private Type registered(Class<?> c) {
            Type t = byName.get(c.getName());
            if (t == null || t.type() != c) {
                throw new IllegalArgumentException((c.isEnum() ? "enum " : "record ") + c.getName()
                        + " is not registered with the codec; use TermCodec.standard().withTypes(" + c.getSimpleName()
                        + ".class, ...)");
            }
            return t;
        }

        private void type(Class<?> c) {
            if (names == null) {
                names = new HashMap<>();
            }
            Integer n = names.get(c);
            if (n != null) {
                varint(n + 1);
            } else {
                names.put(c, names.size());
                varint(0);
                bytes(c.getName().getBytes(StandardCharsets.UTF_8));
            }
        }

        private void comparator(int which) {
            out.write(COMPARATOR);
            out.write(which);
        }

        private void signed(int tag, long v) {
            out.write(tag);
            varint(zigzag(v));
        }

        private void fixed(long bits, int n) {
            for (int i = n - 1; i >= 0; i--) {
                out.write((int) (bits >>> (8 * i)));
            }
        }

        private void bytes(byte[] b) {
            varint(b.length);
            out.write(b, 0, b.length);
        }

        private void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    // ---------------------------------------------------------------- decoding

    @Override
    public Object decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Decoder d = new Decoder(bytes);
        int version = d.u8("the codec's version byte");
        if (version != VERSION) {
            throw new IllegalArgumentException("at offset 0: expected the standard codec's version " + VERSION
                    + ", found " + version + (version > VERSION ? " (written by a newer version of the codec)" : ""));
        }
        Object t = d.term(0);
        if (d.pos != bytes.length) {
            throw new IllegalArgumentException("at offset " + d.pos + ": expected the end of the term, found "
                    + (bytes.length - d.pos) + " more bytes");
        }
        return t;
    }

    private final class Decoder {
        final byte[] in;
        int pos;
        private List<Type> names;

        Decoder(byte[] in) {
            this.in = in;
        }

        IllegalArgumentException bad(int at, String message) {
            return new IllegalArgumentException("at offset " + at + ": " + message);
        }

        int u8(String what) {
            if (pos >= in.length) {
                throw bad(pos, "expected " + what + ", found the end of the input");
            }
            return in[pos++] & 0xFF;
        }

        long varint(String what) {
            int start = pos;
            long v = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                int b = u8(what);
                if (shift == 63 && (b & 0x7E) != 0) {
                    break;
                }
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw bad(start, "expected " + what + " as a varint of at most 64 bits, found a longer one");
        }

        /** A count or length: each counted item takes at least {@code minBytes}, so it must fit in what remains. */
        int count(String what, int minBytes) {
            int at = pos;
            long n = varint(what);
            if (n < 0 || n > (long) (in.length - pos) / minBytes) {
                throw bad(at, "expected " + what + " of at most the " + (in.length - pos)
                        + " bytes that remain, found " + Long.toUnsignedString(n));
            }
            return (int) n;
        }

        byte[] raw(String what) {
            int n = count("the length of " + what, 1);
            byte[] b = Arrays.copyOfRange(in, pos, pos + n);
            pos += n;
            return b;
        }

        String utf8(String what) {
            int at = pos;
            byte[] b = raw(what);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw bad(at, "expected " + what + " in UTF-8, found malformed bytes");
            }
        }

        long fixed(int n, String what) {
            if (in.length - pos < n) {
                throw bad(pos, "expected " + what + " (" + n + " bytes), found " + (in.length - pos));
            }
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | (in[pos++] & 0xFF);
            }
            return v;
        }

        long signed(long min, long max, String what) {
            int at = pos;
            long v = unzigzag(varint(what));
            if (v < min || v > max) {
                throw bad(at, "expected " + what + ", found " + v + ", which is out of its range");
            }
            return v;
        }

        Object term(int depth) {
            if (depth > MAX_DEPTH) {
                throw bad(pos, "expected a term nested at most " + MAX_DEPTH + " levels deep, found deeper nesting");
            }
            int at = pos;
            int tag = u8("a term's tag");
            return switch (tag) {
                case NULL -> null;
                case FALSE -> Boolean.FALSE;
                case TRUE -> Boolean.TRUE;
                case BYTE -> (byte) fixed(1, "a byte");
                case SHORT -> (short) signed(Short.MIN_VALUE, Short.MAX_VALUE, "a short");
                case INT -> (int) signed(Integer.MIN_VALUE, Integer.MAX_VALUE, "an int");
                case LONG -> unzigzag(varint("a long"));
                case FLOAT -> Float.intBitsToFloat((int) fixed(4, "a float"));
                case DOUBLE -> Double.longBitsToDouble(fixed(8, "a double"));
                case BIGINT -> bigInteger();
                case BIGDEC -> {
                    int scale = (int) signed(Integer.MIN_VALUE, Integer.MAX_VALUE, "a BigDecimal's scale");
                    yield new BigDecimal(bigInteger(), scale);
                }
                case CHAR -> {
                    int c = pos;
                    long v = varint("a char");
                    if (v > Character.MAX_VALUE) {
                        throw bad(c, "expected a char, found " + v + ", which is out of its range");
                    }
                    yield (char) v;
                }
                case STRING -> utf8("a string");
                case BYTES -> raw("a byte array");
                case LIST -> {
                    int n = count("the size of a list", 1);
                    List<Object> l = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        l.add(term(depth + 1));
                    }
                    yield Collections.unmodifiableList(l);
                }
                case SET -> {
                    int n = count("the size of a set", 1);
                    Set<Object> s = LinkedHashSet.newLinkedHashSet(n);
                    for (int i = 0; i < n; i++) {
                        int e = pos;
                        if (!s.add(term(depth + 1))) {
                            throw bad(e, "expected a set's elements to be distinct, found a repeated one");
                        }
                    }
                    yield Collections.unmodifiableSet(s);
                }
                case MAP -> {
                    int n = count("the size of a map", 2);
                    Map<Object, Object> m = LinkedHashMap.newLinkedHashMap(n);
                    for (int i = 0; i < n; i++) {
                        int e = pos;
                        Object k = term(depth + 1);
                        if (m.containsKey(k)) {
                            throw bad(e, "expected a map's keys to be distinct, found a repeated one");
                        }
                        m.put(k, term(depth + 1));
                    }
                    yield Collections.unmodifiableMap(m);
                }
                case RECORD -> record(depth);
                case ENUM -> {
                    Type t = type();
                    if (t.constants() == null) {
                        throw bad(at, "expected an enum, found record type " + t.type().getName());
                    }
                    int c = pos;
                    String name = utf8("an enum constant's name");
                    Object k = t.constants().get(name);
                    if (k == null) {
                        throw bad(c, "expected a constant of enum " + t.type().getName() + ", found \"" + name + "\"");
                    }
                    yield k;
                }
                case COUNTERS -> {
                    int n = count("the number of counters", 1);
                    if (n == 0) {
                        throw bad(at, "expected at least one counter, found none");
                    }
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = unzigzag(varint("a counter"));
                    }
                    yield Counters.of(v);
                }
                case COMPARATOR -> switch (u8("a comparator's number")) {
                    case 0 -> Comparator.naturalOrder();
                    case 1 -> Comparator.reverseOrder();
                    case 2 -> KeyOrder.INSTANCE;
                    default -> throw bad(pos - 1, "expected a comparator's number (0 to 2), found " + (in[pos - 1] & 0xFF));
                };
                default -> throw bad(at, "expected a term's tag (0 to " + COMPARATOR + "), found " + tag);
            };
        }

        private BigInteger bigInteger() {
            int at = pos;
            byte[] b = raw("a BigInteger");
            if (b.length == 0) {
                throw bad(at, "expected a BigInteger of at least one byte, found none");
            }
            return new BigInteger(b);
        }

        private Type type() {
            int at = pos;
            if (names == null) {
                names = new ArrayList<>();
            }
            long r = varint("a type reference");
            if (r > 0) {
                if (r > names.size()) {
                    throw bad(at, "expected a type reference of at most " + names.size() + ", found " + r);
                }
                return names.get((int) (r - 1));
            }
            int n = pos;
            String name = utf8("a type name");
            Type t = byName.get(name);
            if (t == null) {
                throw bad(n, "expected a registered type, found " + name
                        + ", which is not registered with this codec; read with TermCodec.standard().withTypes("
                        + name.substring(name.lastIndexOf('.') + 1).replace('$', '.') + ".class, ...)");
            }
            names.add(t);
            return t;
        }

        private Object record(int depth) {
            int at = pos - 1;
            Type t = type();
            if (t.accessors() == null) {
                throw bad(at, "expected a record, found enum type " + t.type().getName());
            }
            int c = pos;
            long n = varint("the number of components");
            if (n != t.accessors().length) {
                throw bad(c, "expected " + t.accessors().length + " components of record " + t.type().getName()
                        + ", found " + n + " (was the record changed since the data was written?)");
            }
            Object[] args = new Object[(int) n];
            for (int i = 0; i < n; i++) {
                args[i] = term(depth + 1);
            }
            try {
                return (Object) t.constructor().invokeExact(args);
            } catch (ClassCastException | NullPointerException e) {
                throw bad(at, "expected the components of record " + t.type().getName()
                        + ", found values of other types: " + e.getMessage());
            } catch (Throwable e) {
                throw bad(at, "the canonical constructor of record " + t.type().getName() + " rejected its components: " + e);
            }
        }
    }

    @Override
    public String toString() {
        return "TermCodec.standard()" + (byName.isEmpty() ? "" : ".withTypes(" + byName.keySet() + ")");
    }
}
