package otp4j.runtime.conformance;

import otp4j.runtime.SchedulerType;
import otp4j.testing.NodeExtension;

/**
 * The process, mailbox, name and timer scenarios again, on the JDK's own virtual-thread
 * scheduler: the semantics must not depend on the scheduler.
 */
@NodeExtension.Config(scheduler = SchedulerType.JDK)
class ProcConformanceOnJdkSchedulerTest extends ProcConformanceTest {
}
