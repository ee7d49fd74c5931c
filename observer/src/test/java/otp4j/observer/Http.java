package otp4j.observer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import otp4j.observer.internal.JsonReader;

/** The tests' client of the observer's API: plain JDK HTTP, answers parsed as JSON. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Http() {}

    record Answer(int status, String body, String contentType) {
        /** {@return the body as a JSON object} */
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) JsonReader.parse(body);
        }

        /** {@return member {@code name} of the body, a JSON array of objects} */
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list(String name) {
            return (List<Map<String, Object>>) json().get(name);
        }

        String error() {
            return (String) json().get("error");
        }
    }

    static Answer get(Observer o, String pathAndQuery) {
        return send(HttpRequest.newBuilder(o.url().resolve(pathAndQuery)).GET());
    }

    static Answer post(Observer o, String pathAndQuery, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(o.url().resolve(pathAndQuery))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("X-Observer-Token", token);
        }
        return send(b);
    }

    static Answer send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = CLIENT.send(b.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static URI uri(Observer o, String pathAndQuery) {
        return o.url().resolve(pathAndQuery);
    }

    /** Percent-encodes a pid or any text for a query string. */
    static String enc(Object o) {
        return java.net.URLEncoder.encode(String.valueOf(o), java.nio.charset.StandardCharsets.UTF_8);
    }
}
