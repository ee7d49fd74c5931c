package otp4j.behaviour.conformance;

import otp4j.runtime.SchedulerType;
import otp4j.testing.NodeExtension;

/**
 * The supervisor scenarios again, on the JDK's own virtual-thread scheduler: the semantics must
 * not depend on the scheduler (the fallback when otp4j cannot install its own).
 */
@NodeExtension.Config(scheduler = SchedulerType.JDK)
class SupervisorConformanceOnJdkSchedulerTest extends SupervisorConformanceTest {
}
