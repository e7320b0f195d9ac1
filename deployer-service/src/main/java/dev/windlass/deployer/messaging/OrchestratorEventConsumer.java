package dev.windlass.deployer.messaging;

import dev.windlass.deployer.service.OrchestratorChanges;
import dev.windlass.events.Channels;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes the registry's orchestrator events, which make cached connection material stale. */
@ApplicationScoped
public class OrchestratorEventConsumer {

    private final OrchestratorChanges changes;

    public OrchestratorEventConsumer(OrchestratorChanges changes) {
        this.changes = changes;
    }

    @Incoming(Channels.ORCHESTRATOR_EVENTS_IN)
    public Uni<Void> consume(ConsumerRecord<byte[], byte[]> record) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value());
        }
        return changes.receive(record.value(), headers);
    }
}
