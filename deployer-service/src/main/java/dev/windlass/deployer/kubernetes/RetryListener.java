package dev.windlass.deployer.kubernetes;

/** Hears about each transient failure an operation is about to retry, so that people can see why it takes long. */
@FunctionalInterface
public interface RetryListener {

    /** Hears nothing. */
    RetryListener NONE = (failure, attempt) -> {};

    /** {@code attempt} (counted from 1) failed with {@code failure}, which is transient; another attempt follows. */
    void retrying(ClusterException failure, int attempt);
}
