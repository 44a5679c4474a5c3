package dev.tillit.keycloak.it.support;

import java.util.Comparator;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.keycloak.testframework.ServerConfigClassOrderer;

/**
 * The suite's class order: the test framework's own (classes grouped by server configuration, so its
 * server is not restarted in between), then the classes of the {@code cluster} package moved to the
 * end (they start two more Keycloak nodes: on 2 cores they should not run beside the suite's busy
 * part). The sort is stable, so the framework's order is otherwise kept. Named by the Failsafe
 * configuration in the POM ({@code junit.jupiter.testclass.order.default}), which takes precedence
 * over the framework's {@code junit-platform.properties}.
 */
public class ClusterLast implements ClassOrderer {

    private final ServerConfigClassOrderer framework = new ServerConfigClassOrderer();

    @Override
    public void orderClasses(ClassOrdererContext context) {
        framework.orderClasses(context);
        context.getClassDescriptors().sort(Comparator.comparingInt(
                (ClassDescriptor c) -> c.getTestClass().getPackageName().endsWith(".cluster") ? 1 : 0));
    }
}
