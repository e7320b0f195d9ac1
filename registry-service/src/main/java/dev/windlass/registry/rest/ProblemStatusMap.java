package dev.windlass.registry.rest;

import dev.windlass.common.problem.ProblemEntry;
import dev.windlass.common.problem.ProblemTable;
import dev.windlass.common.stream.TooManyStreamsException;
import dev.windlass.registry.service.DeployerUnavailableException;
import dev.windlass.registry.service.DuplicateNameException;
import dev.windlass.registry.service.OrchestratorHasAppsException;
import dev.windlass.registry.service.OrchestratorNotFoundException;
import dev.windlass.registry.service.PreconditionRequiredException;
import dev.windlass.registry.service.ValidationFailedException;
import dev.windlass.registry.service.VersionMismatchException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.util.Map;

/**
 * The registry's table from exception to HTTP status and problem type: the shared entries ({@link ProblemTable}) plus
 * the registry's own failures; a database outage is a 503.
 */
public final class ProblemStatusMap {

    static final ProblemEntry INTERNAL = ProblemTable.INTERNAL;

    /** The database cannot be reached (restarting, say): worth trying again shortly. */
    static final ProblemEntry UNAVAILABLE = ProblemTable.UNAVAILABLE;

    private static final ProblemTable TABLE = new ProblemTable(
            Map.of(
                    ValidationFailedException.class, ProblemTable.VALIDATION,
                    OrchestratorNotFoundException.class, new ProblemEntry(404, "not-found", "Not found"),
                    DuplicateNameException.class, new ProblemEntry(409, "duplicate-name", "Name already taken"),
                    VersionMismatchException.class, new ProblemEntry(412, "stale-version", "Precondition failed"),
                    PreconditionRequiredException.class,
                            new ProblemEntry(428, "if-match-required", "Precondition required"),
                    OrchestratorHasAppsException.class,
                            new ProblemEntry(409, "orchestrator-has-apps", "The orchestrator still has apps"),
                    TooManyStreamsException.class, ProblemTable.TOO_MANY_STREAMS,
                    DeployerUnavailableException.class,
                            new ProblemEntry(503, "deployer-unavailable", "The deployer cannot be asked")),
            ProblemStatusMap::isDatabaseOutage);

    private ProblemStatusMap() {}

    /** The entry for {@code failure}: listed class, nearest listed superclass, a JAX-RS status, outage, or 500. */
    public static ProblemEntry entryFor(Throwable failure) {
        return TABLE.entryFor(failure);
    }

    /** The table itself, for documentation and tests. */
    public static Map<Class<? extends Throwable>, ProblemEntry> table() {
        return TABLE.table();
    }

    /**
     * Whether {@code failure} comes from the database connection: refused or reset, closed under the client, or the
     * server's connection-class (08) and operator-intervention (57P, shutting down) errors.
     */
    static boolean isDatabaseOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketException || t instanceof ClosedConnectionException) {
                return true;
            }
            if (t instanceof PgException pg
                    && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
