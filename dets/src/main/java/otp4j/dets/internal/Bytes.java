package otp4j.dets.internal;

import java.util.Arrays;

/** A growable big-endian byte writer with varints (unsigned LEB128), for records, headers and hints. */
final class Bytes {
    private byte[] a;
    private int n;

    Bytes(int capacity) {
        a = new byte[Math.max(16, capacity)];
    }

    private void room(int k) {
        if (n + k > a.length) {
            a = Arrays.copyOf(a, Math.max(a.length * 2, n + k));
        }
    }

    void u8(int v) {
        room(1);
        a[n++] = (byte) v;
    }

    void u16(int v) {
        u8(v >>> 8);
        u8(v);
    }

    void u32(int v) {
        room(4);
        for (int i = 3; i >= 0; i--) {
            a[n++] = (byte) (v >>> (8 * i));
        }
    }

    void u64(long v) {
        room(8);
        for (int i = 7; i >= 0; i--) {
            a[n++] = (byte) (v >>> (8 * i));
        }
    }

    void varint(long v) {
        room(10);
        while ((v & ~0x7FL) != 0) {
            a[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        a[n++] = (byte) v;
    }

    void raw(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, a, n, b.length);
        n += b.length;
    }

    static int varintSize(long v) {
        int k = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            k++;
        }
        return k;
    }

    /** {@return the internal array; valid up to {@link #length()}} */
    byte[] array() {
        return a;
    }

    int length() {
        return n;
    }

    byte[] toArray() {
        return n == a.length ? a : Arrays.copyOf(a, n);
    }
}
