package dev.windlass.deployer.repository;

import dev.windlass.deployer.domain.SealingKey;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The sealing key pairs. */
@ApplicationScoped
public class SealingKeyRepository implements PanacheRepositoryBase<SealingKey, String> {

    /** Every key, newest first. */
    public Uni<List<SealingKey>> newestFirst() {
        return list("order by createdAt desc");
    }

    /**
     * Stores {@code key} as the active key unless another key is active; true when this call stored it (replicas
     * starting together make one key).
     */
    public Uni<Boolean> insertIfNoneActive(SealingKey key) {
        return getSession()
                .flatMap(session -> session.createNativeQuery("insert into sealing_keys"
                                + " (key_id, private_key, public_jwk, active, created_at)"
                                + " values (?1, ?2, ?3, true, ?4) on conflict do nothing")
                        .setParameter(1, key.keyId)
                        .setParameter(2, key.privateKey)
                        .setParameter(3, key.publicJwk)
                        .setParameter(4, key.createdAt)
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /** Retires the active key, if any, as of {@code at}. */
    public Uni<Integer> retireActive(Instant at) {
        return update("active = false, retiredAt = ?1 where active = true", at);
    }

    /** Deletes keys retired before {@code before}; the number deleted. */
    public Uni<Long> deleteRetiredBefore(Instant before) {
        return delete("active = false and retiredAt < ?1", before);
    }
}
