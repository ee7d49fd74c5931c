package otp4j.observer.internal;

/**
 * One table's counters over JMX, as
 * {@code otp4j:type=Table,node=<node>,kind=<kind>,id=<id>,name=<name>}: registered while the
 * table exists, read from the observer's latest sample. <b>Not API</b>; see
 * {@link NodeStatsMXBean}.
 */
public interface TableStatsMXBean {
    String getName();

    String getKind();

    String getType();

    String getAccess();

    String getOwner();

    long getSize();

    long getMemory();

    long getFileSize();
}
