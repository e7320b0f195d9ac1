package dev.windlass.deployer.kubernetes;

/** Where a rollout stands. */
public enum RolloutState {
    PROGRESSING,
    SUCCEEDED,
    FAILED
}
