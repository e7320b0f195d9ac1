package dev.windlass.deployer.rest;

import dev.windlass.common.problem.ProblemEntry;
import dev.windlass.common.problem.ProblemTable;
import dev.windlass.common.stream.TooManyStreamsException;
import dev.windlass.deployer.service.ClusterReadFailedException;
import dev.windlass.deployer.service.DatabaseOutage;
import dev.windlass.deployer.service.HostClaimedException;
import dev.windlass.deployer.service.IdempotencyConflictException;
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
            Map.of(
                    ValidationFailedException.class, ProblemTable.VALIDATION,
                    NotAllowedException.class, new ProblemEntry(403, "orchestrator-not-allowed", "Forbidden"),
                    NotFoundException.class, new ProblemEntry(404, "not-found", "Not found"),
                    IdempotencyConflictException.class, new ProblemEntry(409, "idempotency-conflict", "Conflict"),
                    HostClaimedException.class, new ProblemEntry(409, "host-claimed", "Conflict"),
                    TooManyStreamsException.class, ProblemTable.TOO_MANY_STREAMS,
                    RegistryUnavailableException.class,
                            new ProblemEntry(503, "registry-unavailable", "Service unavailable"),
                    ClusterReadFailedException.class, new ProblemEntry(502, "cluster-read-failed", "Bad gateway"),
                    OrchestratorNotFoundException.class, new ProblemEntry(404, "not-found", "Not found"),
                    WebhookRefusedException.class, new ProblemEntry(401, "webhook-refused", "Unauthorized")),
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
