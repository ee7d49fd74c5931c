package otp4j.observer.internal;

/**
 * A request the observer refuses, with the HTTP status to answer and a message for the client
 * that says which argument is wrong and why. Carries no stack trace: none is shown to anyone.
 */
public final class HttpError extends RuntimeException {
    private final int status;

    public HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    public static HttpError forbidden(String message) {
        return new HttpError(403, message);
    }

    public static HttpError notFound(String message) {
        return new HttpError(404, message);
    }
}
