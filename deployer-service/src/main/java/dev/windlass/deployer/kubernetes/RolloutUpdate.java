package dev.windlass.deployer.kubernetes;

/** One step of a rollout as seen on the cluster, with a message for people. */
public record RolloutUpdate(RolloutState state, String message) {

    /** Whether no update follows this one. */
    public boolean isFinal() {
        return state != RolloutState.PROGRESSING;
    }
}
