package otp4j.runtime.conformance;

import otp4j.runtime.SchedulerType;
import otp4j.testing.NodeExtension;

/**
 * The process, mailbox, name and timer scenarios in a JVM started without the recommended
 * {@code --add-opens} (a surefire execution of its own).
 */
@NodeExtension.Config(scheduler = SchedulerType.JDK)
class ProcConformanceWithoutAddOpensTest extends ProcConformanceTest {
}
