package dev.windlass.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a payload field the JSON Schema lists as {@code required}; the validators report it when absent.
 *
 * <p>Jackson's own {@code required} flag is deliberately not used: it would make deserialization throw,
 * while Windlass reports missing fields as violations with a path.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Required {}
