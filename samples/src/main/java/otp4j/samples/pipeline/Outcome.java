package otp4j.samples.pipeline;

import java.io.Serializable;

/** How a job finished. */
public sealed interface Outcome extends Serializable permits Outcome.Done, Outcome.GaveUp {

    /**
     * The runner returned.
     *
     * @param result   what it returned
     * @param attempts the attempts it took
     */
    record Done(String result, int attempts) implements Outcome {
    }

    /**
     * The runner failed on every attempt allowed.
     *
     * @param attempts  the attempts made
     * @param lastError the last attempt's exception, as text
     */
    record GaveUp(int attempts, String lastError) implements Outcome {
    }
}
