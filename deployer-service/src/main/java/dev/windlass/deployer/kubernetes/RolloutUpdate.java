package dev.windlass.deployer.kubernetes;

/** One observation of a rollout. */
public record RolloutUpdate(RolloutState state, String message) {}
