package otp4j.runtime.conformance;

import otp4j.runtime.SchedulerType;
import otp4j.testing.NodeExtension;

/**
 * The exit-signal scenarios in a JVM started without the recommended {@code --add-opens} (a
 * surefire execution of its own), where otp4j can neither install its scheduler nor see
 * carriers.
 */
@NodeExtension.Config(scheduler = SchedulerType.JDK)
class ExitConformanceWithoutAddOpensTest extends ExitConformanceTest {
}
