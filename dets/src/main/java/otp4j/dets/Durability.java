package otp4j.dets;

/**
 * When a write reaches the disk (is forced to the storage device, not only handed to the
 * operating system). Whatever the mode, {@link DiskTable#sync()}, {@link DiskTable#close()} and
 * each {@linkplain DetsOptions#autoSave() auto-save} force every write made before them.
 */
public enum Durability {
    /**
     * As DETS: writes are buffered and reach the disk at the next sync, close or auto-save. A
     * crash loses the writes made since then, and nothing before.
     */
    ON_SYNC,
    /**
     * Each write call returns once its records are on the disk. Writers that wait at the same
     * time share one force (group commit), so many concurrent writers cost far less than one
     * force each.
     */
    EVERY_WRITE
}
