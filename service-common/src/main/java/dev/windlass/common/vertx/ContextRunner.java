package dev.windlass.common.vertx;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Runs reactive database work on a fresh Vert.x duplicated context. Hibernate Reactive sessions live on such a
 * context, so work started from a cluster or Kafka callback thread, a timer or a background queue goes through
 * here.
 */
@ApplicationScoped
public class ContextRunner {

    private final Vertx vertx;

    public ContextRunner(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Subscribes to {@code work} on a new duplicated context; the result is delivered on that context. */
    public <T> Uni<T> onNewContext(Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            // a new context of its own, used by nothing else: Hibernate Reactive may keep its session there
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> {
                Uni<T> uni;
                try {
                    uni = work.get();
                } catch (RuntimeException e) {
                    emitter.fail(e);
                    return;
                }
                uni.subscribe().with(emitter::complete, emitter::fail);
            });
        });
    }
}
