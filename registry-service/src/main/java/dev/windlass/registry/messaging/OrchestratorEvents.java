package dev.windlass.registry.messaging;

import dev.windlass.registry.domain.Actor;
import dev.windlass.registry.domain.ConnectionCheck;
import dev.windlass.registry.domain.Orchestrator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Announces orchestrator changes through the outbox, in the caller's transaction. */
@ApplicationScoped
public class OrchestratorEvents {

    public Uni<Void> created(Orchestrator o, Actor actor) {
        return Uni.createFrom().voidItem();
    }

    public Uni<Void> updated(Orchestrator o, Actor actor) {
        return Uni.createFrom().voidItem();
    }

    public Uni<Void> deleted(Orchestrator o, Actor actor) {
        return Uni.createFrom().voidItem();
    }

    public Uni<Void> connectionChanged(Orchestrator o, ConnectionCheck check, Actor actor) {
        return Uni.createFrom().voidItem();
    }
}
