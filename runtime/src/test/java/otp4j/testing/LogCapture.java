package otp4j.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what a logger ({@code otp4j.runtime}, {@code otp4j.behaviour}) records, from
 * construction until {@link #close()}: System.Logger goes to java.util.logging when no other
 * backend is installed, as in the tests.
 */
public final class LogCapture implements AutoCloseable {
    // A strong reference: java.util.logging holds loggers weakly, and with them their handlers.
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public LogCapture(String loggerName) {
        logger = Logger.getLogger(loggerName);
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    /** {@return what was recorded so far, oldest first} */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** Forgets what was recorded so far. */
    public void clear() {
        records.clear();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
