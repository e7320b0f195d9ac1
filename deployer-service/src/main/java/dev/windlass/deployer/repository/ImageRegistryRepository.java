package dev.windlass.deployer.repository;

import dev.windlass.deployer.domain.ImageRegistry;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The registries Windlass polls, with how to reach them; and when each polling app polls next. */
@ApplicationScoped
public class ImageRegistryRepository implements PanacheRepositoryBase<ImageRegistry, String> {

    /** Every registry, by host. */
    public Uni<List<ImageRegistry>> byHost() {
        return list("order by host");
    }

    /**
     * Takes the poll of the app {@code appKey} if it is due at {@code now}, moving its next poll to {@code next}; true
     * when this call took it (of replicas ticking together, one does).
     */
    public Uni<Boolean> takePoll(String appKey, Instant now, Instant next) {
        return getSession()
                .flatMap(session -> session.createNativeQuery("insert into image_polls (app_key, next_poll_at)"
                                + " values (?1, ?2) on conflict (app_key) do update set next_poll_at = ?2"
                                + " where image_polls.next_poll_at <= ?3")
                        .setParameter(1, appKey)
                        .setParameter(2, next)
                        .setParameter(3, now)
                        .executeUpdate())
                .map(taken -> taken == 1);
    }

    /** The digest of the running tag the app's last poll saw (force's baseline), or null. */
    public Uni<String> seenDigest(String appKey) {
        return getSession()
                .flatMap(session -> session.createNativeQuery(
                                "select seen_digest from image_polls where app_key = ?1", String.class)
                        .setParameter(1, appKey)
                        .getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /** Records what a poll of the app found; {@code seenDigest} null keeps the one recorded. */
    public Uni<Integer> polled(String appKey, Instant at, String outcome, String seenDigest) {
        return getSession()
                .flatMap(session -> session.createNativeQuery("update image_polls set polled_at = ?2, outcome = ?3,"
                                + " seen_digest = coalesce(cast(?4 as text), seen_digest) where app_key = ?1")
                        .setParameter(1, appKey)
                        .setParameter(2, at)
                        .setParameter(3, outcome.length() > 512 ? outcome.substring(0, 511) + "…" : outcome)
                        .setParameter(4, seenDigest)
                        .executeUpdate());
    }

    /** When the app last polled, what it found, and when it polls next; null when it never did. */
    public Uni<Object[]> pollOf(String appKey) {
        return getSession()
                .flatMap(session -> session.createNativeQuery(
                                "select next_poll_at, polled_at, outcome from image_polls where app_key = ?1",
                                Object[].class)
                        .setParameter(1, appKey)
                        .getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0));
    }
}
