package otp4j.ets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** TermCodec.standard(): every built-in and registered type round-trips; bad bytes say where and what. */
class StandardCodecTest {

    record Point(int x, int y) {
    }

    record Shape(String name, List<Point> points, Colour colour, Map<String, Object> tags) {
    }

    enum Colour { RED, GREEN, BLUE }

    record Unregistered(long id) {
    }

    static final class NotARecord {
    }

    private static final TermCodec.Standard CODEC = TermCodec.standard().withTypes(Point.class, Shape.class, Colour.class);

    private static Object roundTrip(Object term) {
        return CODEC.decode(CODEC.encode(term));
    }

    @Test
    void everyBuiltInTypeRoundTripsAsTheSameClassAndValue() {
        List<Object> terms = Arrays.asList(null, true, false, (byte) -7, (short) -300, Short.MAX_VALUE, 0, -1,
                Integer.MIN_VALUE, Integer.MAX_VALUE, 0L, Long.MIN_VALUE, Long.MAX_VALUE, 1.5f, Float.NaN, -0.0f,
                2.25, Double.NEGATIVE_INFINITY, -0.0, new BigInteger("-123456789012345678901234567890"),
                BigInteger.ZERO, new BigDecimal("1.500"), new BigDecimal("-1E+30"), 'x', '\uffff', "", "héllo 😀",
                Counters.of(1, -2, Long.MAX_VALUE), Colour.BLUE, new Point(-1, 2));
        for (Object t : terms) {
            Object back = roundTrip(t);
            assertThat(back).as(String.valueOf(t)).isEqualTo(t);
            if (t != null) {
                assertThat(back).as(String.valueOf(t)).isExactlyInstanceOf(t.getClass());
            }
        }
        assertThat((byte[]) roundTrip(new byte[] {1, 2, -3})).containsExactly(1, 2, -3);
        assertThat(roundTrip(Comparator.naturalOrder())).isSameAs(Comparator.naturalOrder());
        assertThat(roundTrip(Comparator.reverseOrder())).isSameAs(Comparator.reverseOrder());
        assertThat(roundTrip(Ets.keyOrder())).isSameAs(Ets.keyOrder());
    }

    @Test
    void collectionsComeBackUnmodifiableInTheOrderTheOriginalIterated() {
        List<Object> list = new ArrayList<>(Arrays.asList(3, null, "a", List.of()));
        Object l = roundTrip(list);
        assertThat(l).isEqualTo(list);
        assertThatThrownBy(() -> ((List<?>) l).clear()).isInstanceOf(UnsupportedOperationException.class);

        Set<String> sorted = new TreeSet<>(Comparator.reverseOrder());
        sorted.addAll(List.of("a", "c", "b"));
        @SuppressWarnings("unchecked")
        Set<String> s = (Set<String>) roundTrip(sorted);
        assertThat(s).containsExactly("c", "b", "a").isEqualTo(sorted);

        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", null);
        @SuppressWarnings("unchecked")
        Map<String, Integer> back = (Map<String, Integer>) roundTrip(m);
        assertThat(back).containsExactly(Map.entry("z", 1), new java.util.AbstractMap.SimpleEntry<>("a", null));
        assertThat(roundTrip(new TreeMap<>(Map.of(2, "b", 1, "a")))).isEqualTo(Map.of(1, "a", 2, "b"));
    }

    @Test
    void nestedRecordsEnumsAndCollectionsRoundTrip() {
        Shape shape = new Shape("tri", List.of(new Point(0, 0), new Point(1, 0), new Point(0, 1)), Colour.GREEN,
                new HashMap<>(Map.of("layers", List.of(Set.of(1L), Map.of("deep", new Point(9, 9))), "n", 3)));
        Object back = roundTrip(List.of(shape, shape, Map.of(Colour.RED, shape)));
        assertThat(back).isEqualTo(List.of(shape, shape, Map.of(Colour.RED, shape)));
    }

    @Test
    void aRepeatedTypeNameIsWrittenOnceInATerm() {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            points.add(new Point(i, i));
        }
        byte[] bytes = CODEC.encode(points);
        assertThat(bytes.length).as("one name, then a reference per record").isLessThan(Point.class.getName().length() + 100 * 8);
        assertThat(roundTrip(points)).isEqualTo(points);
    }

    @Test
    void anUnregisteredRecordFailsOnEncodeSayingHowToRegisterIt() {
        assertThatThrownBy(() -> CODEC.encode(List.of(new Unregistered(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record " + Unregistered.class.getName() + " is not registered")
                .hasMessageContaining("TermCodec.standard().withTypes(Unregistered.class");
        assertThatThrownBy(() -> CODEC.encode(new NotARecord()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(NotARecord.class.getName())
                .hasMessageContaining("withTypes");
        assertThatThrownBy(() -> TermCodec.standard().withTypes(NotARecord.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither a record nor an enum");
    }

    @Test
    void aReaderDecodesOnlyTypesItRegistered() {
        byte[] bytes = CODEC.encode(new Point(1, 2));
        assertThatThrownBy(() -> TermCodec.standard().decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at offset 3")
                .hasMessageContaining(Point.class.getName() + ", which is not registered")
                .hasMessageContaining("withTypes(StandardCodecTest.Point.class");
        assertThat(TermCodec.standard().withTypes(Point.class).types()).containsExactly(Point.class);
    }

    @Test
    void aRecordWhoseComponentsDoNotFitItsConstructorIsRejectedNotGuessed() {
        byte[] written = TermCodec.standard().withTypes(StringPoint.class).encode(new StringPoint("a", "b"));
        // The same bytes, but naming Point (int x, int y): the components are strings.
        byte[] renamed = rename(written, StringPoint.class.getName(), Point.class.getName());
        assertThatThrownBy(() -> CODEC.decode(renamed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at offset 1")
                .hasMessageContaining("expected the components of record " + Point.class.getName());
        byte[] threeComponents = CODEC.encode(new Point(1, 2));
        threeComponents[threeComponents.length - 5] = 3; // the component count, before x and y (tag, varint each)
        assertThatThrownBy(() -> CODEC.decode(threeComponents)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 2 components of record " + Point.class.getName() + ", found 3");
    }

    record StringPoint(String x, String y) {
    }

    /** Replaces a class name of the same length in an encoded term. */
    private static byte[] rename(byte[] bytes, String from, String to) {
        String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(from.length()).isEqualTo(to.length() + "String".length());
        int at = s.indexOf(from);
        byte[] name = to.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] out = new byte[bytes.length - "String".length()];
        System.arraycopy(bytes, 0, out, 0, at - 1);
        out[at - 1] = (byte) name.length;
        System.arraycopy(name, 0, out, at, name.length);
        System.arraycopy(bytes, at + from.length(), out, at + name.length, bytes.length - at - from.length());
        return out;
    }

    @Test
    void truncatedInputNamesTheOffsetAndWhatWasExpected() {
        byte[] full = CODEC.encode(List.of("abc", 1000L));
        for (int cut = 0; cut < full.length; cut++) {
            byte[] part = Arrays.copyOf(full, cut);
            Throwable t = catchThrowable(() -> CODEC.decode(part));
            assertThat(t).as("cut at " + cut).isInstanceOf(IllegalArgumentException.class);
            assertThat(t.getMessage()).as("cut at " + cut).containsPattern("at offset \\d+: expected ");
        }
        assertThatThrownBy(() -> CODEC.decode(new byte[] {1, 12, 5, 'a'})).hasMessage(
                "at offset 2: expected the length of a string of at most the 1 bytes that remain, found 5");
    }

    @Test
    void corruptInputSaysWhatItFound() {
        assertThatThrownBy(() -> CODEC.decode(new byte[] {2, 0})).hasMessageContaining("at offset 0")
                .hasMessageContaining("version 1, found 2 (written by a newer version of the codec)");
        assertThatThrownBy(() -> CODEC.decode(new byte[] {1, 99})).hasMessage(
                "at offset 1: expected a term's tag (0 to 20), found 99");
        assertThatThrownBy(() -> CODEC.decode(new byte[] {1, 0, 0})).hasMessage(
                "at offset 2: expected the end of the term, found 1 more bytes");
        assertThatThrownBy(() -> CODEC.decode(new byte[] {1, 12, 2, (byte) 0xC3, 0x28}))
                .hasMessage("at offset 2: expected a string in UTF-8, found malformed bytes");
        assertThatThrownBy(() -> CODEC.decode(new byte[] {1, 15, 2, 0, 0}))
                .hasMessage("at offset 4: expected a set's elements to be distinct, found a repeated one");
        assertThatThrownBy(() -> CODEC.decode(new byte[] {1, 5, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}))
                .hasMessageContaining("at offset 2: expected an int");
        byte[] deep = new byte[2 * 600 + 1];
        Arrays.fill(deep, (byte) 14);
        deep[0] = 1;
        for (int i = 2; i < deep.length; i += 2) {
            deep[i] = 1;
        }
        assertThatThrownBy(() -> CODEC.decode(deep)).hasMessageContaining("nested at most");
    }

    @Test
    void aCollectionThatContainsItselfIsRejectedOnEncode() {
        List<Object> self = new ArrayList<>();
        self.add(self);
        assertThatThrownBy(() -> CODEC.encode(self)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nests deeper than");
    }

    /** Random and mutated bytes: the decoder returns a term or throws IllegalArgumentException, nothing else, quickly. */
    @Test
    void randomAndMutatedBytesNeverThrowAnythingButIllegalArgumentException() {
        Random random = new Random(20261128);
        byte[] valid = CODEC.encode(List.of(new Shape("s", List.of(new Point(1, 2)), Colour.RED,
                Map.of("k", List.of(1.5, new BigDecimal("2.5"), Counters.of(3), "x".getBytes()))), Set.of('c', "str")));
        int decoded = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(40)];
                random.nextBytes(input);
                if (input.length > 0 && random.nextBoolean()) {
                    input[0] = 1;
                }
            } else {
                input = valid.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
                if (random.nextInt(4) == 0) {
                    input = Arrays.copyOf(input, random.nextInt(input.length));
                }
            }
            byte[] in = input;
            Throwable t = catchThrowable(() -> CODEC.decode(in));
            if (t == null) {
                decoded++;
            } else {
                assertThat(t).as(Arrays.toString(in)).isExactlyInstanceOf(IllegalArgumentException.class);
                assertThat(t.getMessage()).as(Arrays.toString(in)).startsWith("at offset ");
            }
        }
        assertThat(decoded).as("some mutations still decode").isPositive();
    }
}
