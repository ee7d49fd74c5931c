package otp4j.observer.internal;

/**
 * A node's counters over JMX, as {@code otp4j:type=Node,name=<node>}: each read from the
 * observer's latest sample (at most one refresh interval old). <b>Not API</b>; the bean's name
 * and attributes are, and are listed in the observer's documentation.
 */
public interface NodeStatsMXBean {
    int getProcessCount();

    int getLingeringCount();

    int getRunQueue();

    int getCarriers();

    long getSpawned();

    long getArmedTimers();

    long getReductionsPerSecond();

    long getMessagesPerSecond();

    long getProcessMemory();

    long getTableMemory();

    long getSampleTime();
}
