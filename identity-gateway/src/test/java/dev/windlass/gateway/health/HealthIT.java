package dev.windlass.gateway.health;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The health and OpenAPI checks of {@link HealthTest}, against the packaged jar or native executable. */
@QuarkusIntegrationTest
class HealthIT extends HealthTest {}
