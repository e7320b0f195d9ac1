package dev.windlass.deployer.service;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells the local outbox relay that a transaction which may have written outbox rows has committed, so that it
 * publishes them at once instead of at its next poll. A bean of its own so that neither the outbox nor the
 * transactions depend on the relay.
 */
@ApplicationScoped
public class OutboxSignal {

    private volatile Runnable listener = () -> {};

    /** {@code listener} (the relay) is told of every commit from now on. */
    public void listen(Runnable listener) {
        this.listener = listener;
    }

    /** A transaction that may have written outbox rows has committed. */
    public void committed() {
        listener.run();
    }
}
