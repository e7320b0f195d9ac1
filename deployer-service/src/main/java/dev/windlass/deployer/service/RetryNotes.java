package dev.windlass.deployer.service;

import dev.windlass.deployer.kubernetes.ClusterException;
import dev.windlass.deployer.kubernetes.RetryListener;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Makes one deployment's retries visible while they last: its current message says what is retried, why, and how
 * long it may go on; a status event carries that message; the log has one WARN line per deployment and kind of
 * failure. A note is recorded when the kind of failure changes, and otherwise at most every {@link #GAP}.
 */
final class RetryNotes implements RetryListener {

    static final Duration GAP = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(RetryNotes.class);

    private final UUID deploymentId;
    private final String bound;
    private final Consumer<String> record;
    private final Set<String> warned = new HashSet<>();
    private int attempts;
    private String lastKind;
    private long lastNoteAt;

    /**
     * Notes of {@code deploymentId}, handed to {@code record}; {@code bound} says when retrying stops ("within
     * about 10m").
     */
    RetryNotes(UUID deploymentId, String bound, Consumer<String> record) {
        this.deploymentId = deploymentId;
        this.bound = bound;
        this.record = record;
    }

    @Override
    public void retrying(ClusterException failure, int attempt) {
        String note;
        synchronized (this) {
            attempts++;
            String kind = failure.getMessage();
            note = "retrying " + kind + " (attempt " + attempts + "; gives up " + bound + ")";
            if (warned.add(kind)) {
                LOG.warnf("deployment %s: %s", deploymentId, note);
            }
            long now = System.nanoTime();
            if (kind.equals(lastKind) && now - lastNoteAt < GAP.toNanos()) {
                return;
            }
            lastKind = kind;
            lastNoteAt = now;
        }
        record.accept(note);
    }

    /** The transient failures heard so far. */
    synchronized int attempts() {
        return attempts;
    }
}
