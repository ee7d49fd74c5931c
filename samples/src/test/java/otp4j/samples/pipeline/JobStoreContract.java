package otp4j.samples.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.NoSuchElementException;

import org.junit.jupiter.api.Test;

/** What every {@link JobStore} does; a store's test extends this with {@link #newStore()}. */
abstract class JobStoreContract {

    /** {@return an empty store} */
    abstract JobStore newStore();

    @Test
    void addedJobsArePendingOldestFirstWithNoAttempt() {
        JobStore store = newStore();
        long a = store.add(new Job("k", "a"));
        long b = store.add(new Job("k", "b"));
        assertThat(b).isGreaterThan(a);
        assertThat(store.pending()).containsExactly(new JobStore.StoredJob(a, new Job("k", "a"), 0),
                new JobStore.StoredJob(b, new Job("k", "b"), 0));
    }

    @Test
    void attemptsAreCountedAndAFinishedJobIsNoLongerPending() {
        JobStore store = newStore();
        long a = store.add(new Job("k", "a"));
        long b = store.add(new Job("k", "b"));
        assertThat(store.attempt(a)).hasValue(1);
        assertThat(store.attempt(a)).hasValue(2);
        store.finish(a, new Outcome.Done("ok", 2));
        assertThat(store.pending()).extracting(JobStore.StoredJob::id).containsExactly(b);
    }

    @Test
    void aFinishedJobHasNoAttemptAndCannotFinishAgain() {
        JobStore store = newStore();
        long a = store.add(new Job("k", "a"));
        store.finish(a, new Outcome.GaveUp(1, "boom"));
        assertThat(store.attempt(a)).isEmpty();
        assertThat(store.attempt(a + 1)).as("never added").isEmpty();
        assertThatThrownBy(() -> store.finish(a, new Outcome.Done("again", 1))).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("no pending job " + a);
        assertThatThrownBy(() -> store.add(null)).isInstanceOf(NullPointerException.class);
    }
}
