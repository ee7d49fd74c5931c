package otp4j.ets.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import otp4j.ets.TermCodec;

/** {@link TermCodec#javaSerialization()}: each term is one Java serialization stream. */
public final class JavaSerializationCodec implements TermCodec {
    public static final JavaSerializationCodec INSTANCE = new JavaSerializationCodec();

    private JavaSerializationCodec() {}

    @Override
    public String name() {
        return "java-serialization";
    }

    @Override
    public byte[] encode(Object term) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(term);
        } catch (NotSerializableException e) {
            // The message of NotSerializableException is the class that is not serializable,
            // which may be the term's or that of an object it refers to.
            throw new IllegalArgumentException("class " + e.getMessage() + " is not java.io.Serializable"
                    + (e.getMessage().equals(term.getClass().getName()) ? "" : " (a " + term.getClass().getName()
                    + " refers to it)"), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Java serialization of a " + term.getClass().getName() + " failed: " + e, e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object decode(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("class " + e.getMessage() + " is not found", e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a Java serialization stream of an object: " + e, e);
        }
    }
}
