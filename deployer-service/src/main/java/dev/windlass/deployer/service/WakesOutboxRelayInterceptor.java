package dev.windlass.deployer.service;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Wakes the outbox relay after a {@link WakesOutboxRelay} method's transaction committed. Its priority puts it
 * around {@code @WithTransaction}'s interceptor (platform-before + 200), so the returned {@code Uni} completes only
 * after the commit.
 */
@WakesOutboxRelay
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class WakesOutboxRelayInterceptor {

    @Inject
    OutboxSignal signal;

    @AroundInvoke
    Object wakeAfterCommit(InvocationContext context) throws Exception {
        Object result = context.proceed();
        if (result instanceof Uni<?> uni) {
            return uni.invoke(signal::committed);
        }
        return result;
    }
}
