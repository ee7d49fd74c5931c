package otp4j.dets;

/** What opening does with a file that was not closed properly, as the {@code repair} option of {@code dets:open_file/2}. */
public enum Repair {
    /**
     * {@code {repair, true}}, the default: a file that was not closed properly is recovered: the
     * records after its last hint are read again, and a torn write at its end is cut off.
     */
    IF_NEEDED,
    /** {@code {repair, false}}: such a file is not opened; {@link DetsFileException.Reason#NEEDS_REPAIR} (DETS-025). */
    NEVER,
    /**
     * {@code {repair, force}}: the whole file is read and rewritten without its dead records
     * (compacted), even if it was closed properly (DETS-029). Needs {@link FileAccess#READ_WRITE}.
     */
    FORCE
}
