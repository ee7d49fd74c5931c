package otp4j.dets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import otp4j.ets.TableType;
import otp4j.runtime.Pid;

/**
 * What {@code dets:info/1} tells about an open disk table, read at one moment (DETS-009, DETS-016).
 *
 * @param name       the table's name
 * @param file       the table's file, as given (or the name, DETS-036)
 * @param type       set, bag or duplicate bag
 * @param access     read, or read and write
 * @param size       the number of objects ({@code size} and {@code no_objects}; a bag counts each value)
 * @param fileSize   the file's length in bytes, buffered writes included
 * @param users      the processes that have it open, one entry per open ({@code users}, DETS-016)
 * @param autoSave   the auto-save interval, empty if off ({@code infinity})
 * @param durability when writes reach the disk
 */
public record DiskTableInfo(String name, Path file, TableType type, FileAccess access, long size, long fileSize,
                            List<Pid> users, Optional<Duration> autoSave, Durability durability) {
    /** Copies the users. */
    public DiskTableInfo {
        users = List.copyOf(users);
    }
}
