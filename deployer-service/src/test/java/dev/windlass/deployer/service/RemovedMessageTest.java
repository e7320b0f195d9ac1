package dev.windlass.deployer.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.events.deployment.ObjectRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An undeploy's message names what was removed, and after retries says it counts only the last attempt. */
class RemovedMessageTest {

    @Test
    void namesWhatWasRemovedAndSaysWhenOnlyTheLastOfSeveralAttemptsIsCounted() {
        List<ObjectRef> two =
                List.of(new ObjectRef("Service", "shop", "web"), new ObjectRef("Deployment", "shop", "web"));

        assertThat(DeploymentPipeline.removedMessage("web", two, 0))
                .isEqualTo("removed 2 object(s) of web: Service web, Deployment web; none is left on the cluster");
        assertThat(DeploymentPipeline.removedMessage("web", List.of(), 0))
                .isEqualTo("removed 0 object(s) of web: the cluster held none");
        // an attempt cut short (its client closed) removed the objects; the retry found none
        assertThat(DeploymentPipeline.removedMessage("web", List.of(), 1))
                .isEqualTo("removed 0 object(s) of web in the last of 2 attempts (an attempt cut short may have"
                        + " removed some); none is left on the cluster");
        assertThat(DeploymentPipeline.removedMessage("web", two, 2))
                .isEqualTo("removed 2 object(s) of web in the last of 3 attempts: Service web, Deployment web;"
                        + " none is left on the cluster");
    }
}
