package dev.windlass.deployer.service;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code @WithTransaction} method that writes outbox rows: once the {@code Uni} it returns has completed
 * (the transaction committed), the local relay is woken through {@link OutboxSignal}.
 */
@InterceptorBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface WakesOutboxRelay {}
