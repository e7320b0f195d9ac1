package dev.windlass.deployer.rest;

import dev.windlass.common.problem.ProblemEntry;
import dev.windlass.common.problem.ProblemTable;
import dev.windlass.common.stream.TooManyStreamsException;
import dev.windlass.deployer.service.ClusterReadFailedException;
import dev.windlass.deployer.service.DatabaseOutage;
import dev.windlass.deployer.service.HostClaimedException;
import dev.windlass.deployer.service.IdempotencyConflictException;
import dev.windlass.deployer.service.ImageUpdateClosedException;
import dev.windlass.deployer.service.NotAllowedException;
import dev.windlass.deployer.service.NotFoundException;
import dev.windlass.deployer.service.OrchestratorNotFoundException;
import dev.windlass.deployer.service.RegistryUnavailableException;
import dev.windlass.deployer.service.ValidationFailedException;
import dev.windlass.deployer.service.WebhookRefusedException;
import java.util.Map;

/**
 * The deployer's table from exception to HTTP status and problem type: the shared entries ({@link ProblemTable}) plus
 * the deployer's own failures; a database outage is a 503.
 */
public final class ProblemStatusMap {

    static final ProblemEntry INTERNAL = ProblemTable.INTERNAL;

    /** The database cannot be reached (restarting, say): worth trying again shortly. */
    static final ProblemEntry UNAVAILABLE = ProblemTable.UNAVAILABLE;

    private static final ProblemTable TABLE = new ProblemTable(
            Map.ofEntries(
                    Map.entry(ValidationFailedException.class, ProblemTable.VALIDATION),
                    Map.entry(
                            NotAllowedException.class, new ProblemEntry(403, "orchestrator-not-allowed", "Forbidden")),
                    Map.entry(NotFoundException.class, new ProblemEntry(404, "not-found", "Not found")),
                    Map.entry(
                            IdempotencyConflictException.class,
                            new ProblemEntry(409, "idempotency-conflict", "Conflict")),
                    Map.entry(HostClaimedException.class, new ProblemEntry(409, "host-claimed", "Conflict")),
                    Map.entry(
                            ImageUpdateClosedException.class, new ProblemEntry(409, "image-update-closed", "Conflict")),
                    Map.entry(TooManyStreamsException.class, ProblemTable.TOO_MANY_STREAMS),
                    Map.entry(
                            RegistryUnavailableException.class,
                            new ProblemEntry(503, "registry-unavailable", "Service unavailable")),
                    Map.entry(
                            ClusterReadFailedException.class,
                            new ProblemEntry(502, "cluster-read-failed", "Bad gateway")),
                    Map.entry(OrchestratorNotFoundException.class, new ProblemEntry(404, "not-found", "Not found")),
                    Map.entry(WebhookRefusedException.class, new ProblemEntry(401, "webhook-refused", "Unauthorized"))),
            DatabaseOutage::isCause);

    private ProblemStatusMap() {}

    /** The entry for {@code failure}: listed class, nearest listed superclass, a JAX-RS 4xx status, outage, or 500. */
    public static ProblemEntry entryFor(Throwable failure) {
        return TABLE.entryFor(failure);
    }

    /** The table itself, for documentation and tests. */
    public static Map<Class<? extends Throwable>, ProblemEntry> table() {
        return TABLE.table();
    }
}
