package dev.symgrad.compiler.hardening;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Lets a long fuzzing campaign raise the number of tries without editing the tests: with
 * {@code -Dsymgrad.fuzz.tries=N}, every property of a container carrying this hook runs N tries instead
 * of the bounded number its {@code @Property} states for {@code mvn verify}.
 */
public final class FuzzTries implements AroundPropertyHook {

    /** The system property that overrides the number of tries. */
    public static final String PROPERTY = "symgrad.fuzz.tries";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String value = System.getProperty(PROPERTY);
        if (value != null && !value.isBlank()) {
            int tries = Integer.parseInt(value.trim());
            if (tries < 1) {
                throw new IllegalArgumentException(PROPERTY + " must be at least 1, got " + tries);
            }
            context.attributes().setTries(tries);
        }
        return property.execute();
    }

    /** Registered on a test class, it must reach the class's property methods. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public boolean appliesTo(Optional<AnnotatedElement> element) {
        return element.map(e -> e instanceof Method).orElse(false);
    }
}
