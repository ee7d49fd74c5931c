package otp4j.dets;

/** How a disk table's file is opened, as the {@code access} option of {@code dets:open_file/2}. */
public enum FileAccess {
    /** {@code read}: reads only; writes throw {@link otp4j.ets.TableAccessException} (DETS-024). The file is never changed. */
    READ,
    /** {@code read_write}, the default. */
    READ_WRITE
}
