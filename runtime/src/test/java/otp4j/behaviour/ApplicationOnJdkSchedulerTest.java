package otp4j.behaviour;

import otp4j.runtime.SchedulerType;
import otp4j.testing.NodeExtension;

/** {@link ApplicationTest} again on the JDK's own virtual-thread scheduler: the semantics must not depend on it. */
@NodeExtension.Config(scheduler = SchedulerType.JDK)
class ApplicationOnJdkSchedulerTest extends ApplicationTest {
}
