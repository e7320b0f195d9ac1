package dev.windlass.registry.service;

import dev.windlass.registry.domain.Actor;
import dev.windlass.registry.domain.AuditAction;
import dev.windlass.registry.domain.CredentialField;
import dev.windlass.registry.domain.Orchestrator;
import dev.windlass.registry.domain.SealedValue;
import dev.windlass.registry.repository.OrchestratorRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Key rotation: after a new active key is configured, rewrites every credential sealed by an older key. Works in
 * batches, one transaction each, with the rows locked; a value whose key is no longer configured is reported.
 */
@ApplicationScoped
public class CredentialRotationService {

    private static final Logger LOG = Logger.getLogger(CredentialRotationService.class);
    static final int BATCH = 50;

    private final OrchestratorRepository orchestrators;
    private final CredentialCipher cipher;
    private final AuditTrail audit;
    private final Pool pool;

    public CredentialRotationService(
            OrchestratorRepository orchestrators, CredentialCipher cipher, AuditTrail audit, Pool pool) {
        this.orchestrators = orchestrators;
        this.cipher = cipher;
        this.audit = audit;
        this.pool = pool;
    }

    /** Re-encrypts every credential not sealed by the active key. */
    public Uni<ReEncryptResult> reEncrypt(Actor actor) {
        return loop(new Tally(), actor)
                .map(t -> new ReEncryptResult(cipher.activeKeyId(), t.orchestrators, t.values, List.copyOf(t.failed)));
    }

    private Uni<Tally> loop(Tally tally, Actor actor) {
        return pool.withTransaction(tx -> batch(tx, tally, actor))
                .chain(size -> size < BATCH ? Uni.createFrom().item(tally) : loop(tally, actor));
    }

    private Uni<Integer> batch(SqlClient tx, Tally tally, Actor actor) {
        return orchestrators
                .lockSealedByOtherKeys(tx, cipher.activeKeyId(), tally.failed, BATCH)
                .chain(batch -> {
                    Uni<Void> work = Uni.createFrom().voidItem();
                    for (Orchestrator o : batch) {
                        work = work.chain(() -> reseal(tx, o, tally, actor));
                    }
                    return work.replaceWith(batch.size());
                });
    }

    private Uni<Void> reseal(SqlClient tx, Orchestrator o, Tally tally, Actor actor) {
        Map<CredentialField, SealedValue> current = o.sealedCredentials();
        List<CredentialField> fields = new ArrayList<>();
        List<SealedValue> resealed = new ArrayList<>();
        try {
            for (Map.Entry<CredentialField, SealedValue> entry : current.entrySet()) {
                if (cipher.needsRotation(entry.getValue())) {
                    String plain = cipher.open(o.getId(), entry.getKey(), entry.getValue());
                    fields.add(entry.getKey());
                    resealed.add(cipher.seal(o.getId(), entry.getKey(), plain));
                }
            }
        } catch (IllegalStateException e) {
            LOG.warnf("cannot re-encrypt the credentials of orchestrator %s: %s", o.getId(), e.getMessage());
            tally.failed.add(o.getId());
            return Uni.createFrom().voidItem();
        }
        Uni<Void> work = Uni.createFrom().voidItem();
        for (int i = 0; i < fields.size(); i++) {
            CredentialField field = fields.get(i);
            SealedValue value = resealed.get(i);
            work = work.call(() -> orchestrators.reseal(tx, o.getId(), field, value));
        }
        String details = "re-encrypted "
                + String.join(
                        ", ", fields.stream().map(CredentialField::fieldName).toList()) + " with key '"
                + cipher.activeKeyId() + "'";
        return work.call(() ->
                        audit.record(tx, o.getId(), o.getName(), AuditAction.CREDENTIALS_REENCRYPTED, actor, details))
                .invoke(() -> {
                    tally.orchestrators++;
                    tally.values += fields.size();
                });
    }

    private static final class Tally {
        int orchestrators;
        int values;
        final Set<UUID> failed = new LinkedHashSet<>();
    }
}
