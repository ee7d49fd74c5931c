package otp4j.ets.conformance;

import otp4j.runtime.SchedulerType;
import otp4j.testing.NodeExtension;

/**
 * The ETS scenarios again, on the JDK's own virtual-thread scheduler: owner death, heirs and
 * transfers must not depend on the scheduler.
 */
@NodeExtension.Config(scheduler = SchedulerType.JDK)
class EtsConformanceOnJdkSchedulerTest extends EtsConformanceTest {
}
