package otp4j.dets.conformance;

import otp4j.runtime.SchedulerType;
import otp4j.testing.NodeExtension;

/** The DETS scenarios again, on the JDK's own virtual-thread scheduler: opener deaths must not depend on the scheduler. */
@NodeExtension.Config(scheduler = SchedulerType.JDK)
class DetsConformanceOnJdkSchedulerTest extends DetsConformanceTest {
}
