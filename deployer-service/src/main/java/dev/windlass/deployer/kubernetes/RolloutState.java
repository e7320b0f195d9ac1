package dev.windlass.deployer.kubernetes;

/** Where a rollout stands. */
public enum RolloutState {
    /** Not yet available; more updates follow. */
    PROGRESSING,
    /** Every desired replica runs the revision and is available. */
    SUCCEEDED,
    /** The revision did not become available (deadline, superseded, deleted). */
    FAILED
}
