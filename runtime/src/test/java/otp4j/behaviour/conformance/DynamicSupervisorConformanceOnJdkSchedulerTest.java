package otp4j.behaviour.conformance;

import otp4j.runtime.SchedulerType;
import otp4j.testing.NodeExtension;

/** The dynamic supervisor scenarios again, on the JDK's own virtual-thread scheduler. */
@NodeExtension.Config(scheduler = SchedulerType.JDK)
class DynamicSupervisorConformanceOnJdkSchedulerTest extends DynamicSupervisorConformanceTest {
}
