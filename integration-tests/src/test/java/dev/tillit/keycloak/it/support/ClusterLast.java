package dev.tillit.keycloak.it.support;

import java.util.Comparator;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Orders the suite's classes so that those of the {@code cluster} package run last (they start two
 * more Keycloak nodes); the others keep the order they were found in (the sort is stable).
 */
public class ClusterLast implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparingInt(
                (ClassDescriptor c) -> c.getTestClass().getPackageName().endsWith(".cluster") ? 1 : 0));
    }
}
