/**
 * The runtime's mechanisms: mailboxes, the carrier scheduler, the timer service and the small
 * collections they use. <b>Not API</b>: these classes are public only so that otp4j's own
 * modules can share them; they change without notice.
 *
 * <h2>Memory-ordering names</h2>
 * Shared mutable fields are private and reached through accessors whose names spell the
 * {@link java.lang.invoke.VarHandle} access mode, so that each step shows its ordering:
 * <pre>
 * get&lt;Field&gt;&lt;Mode&gt;() / set&lt;Field&gt;&lt;Mode&gt;(v), Mode = Plain | Opaque | Acquire/Release | Volatile;
 * cas&lt;Field&gt;(expected, v), getAndAdd&lt;Field&gt;(d): full volatile semantics.
 *   Plain             only the owner touches it, or a later release store publishes it
 *   Opaque            others may read it stale without harm; publishes nothing else
 *   Acquire/Release   publication: what was written before the release is visible after the acquire
 *   Volatile          two threads each store one variable, then load the other (wake-ups)
 * </pre>
 * Every relaxed or racy access carries a one-line reason beside it.
 */
package otp4j.runtime.internal;
