package dev.windlass.common.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windlass.common.schema.SchemaAtStart.Applied;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaAtStartTest {

    private static final String NEWEST = "6";

    @Test
    void noHistoryTableIsAFreshDatabase() {
        assertThat(SchemaAtStart.verdict(null, NEWEST)).isEqualTo(SchemaVerdict.FRESH);
    }

    @Test
    void anEmptyHistoryIsBehind() {
        assertThat(SchemaAtStart.verdict(List.of(), NEWEST)).isEqualTo(SchemaVerdict.BEHIND);
    }

    @Test
    void oneMigrationShortIsBehind() {
        assertThat(SchemaAtStart.verdict(applied("1", "2", "3", "4", "5"), NEWEST))
                .isEqualTo(SchemaVerdict.BEHIND);
    }

    @Test
    void everyMigrationAppliedIsCurrent() {
        assertThat(SchemaAtStart.verdict(applied("1", "2", "3", "4", "5", "6"), NEWEST))
                .isEqualTo(SchemaVerdict.CURRENT);
    }

    @Test
    void aNewerReleasesMigrationIsStillCurrent() {
        assertThat(SchemaAtStart.verdict(applied("6", "7"), NEWEST)).isEqualTo(SchemaVerdict.CURRENT);
    }

    @Test
    void aFailedMigrationNeedsFlywayEvenWhenTheVersionIsCurrent() {
        List<Applied> history = List.of(new Applied("5", true), new Applied("6", false));

        assertThat(SchemaAtStart.verdict(history, NEWEST)).isEqualTo(SchemaVerdict.FAILED);
        assertThat(SchemaVerdict.FAILED.needsMigration()).isTrue();
    }

    @Test
    void versionsCompareNumericallyPartByPart() {
        assertThat(SchemaAtStart.compareVersions("10", "9")).isPositive();
        assertThat(SchemaAtStart.compareVersions("1.10", "1.9")).isPositive();
        assertThat(SchemaAtStart.compareVersions("2_1", "2.1")).isZero();
        assertThat(SchemaAtStart.compareVersions("3", "3.0.1")).isNegative();
    }

    @Test
    void theNewestScriptIsFoundByVersionNotByName() {
        assertThat(SchemaAtStart.newestVersion(
                        List.of("V1__deployments.sql", "V12__image_registries.sql", "V9__reasons.sql", "README.md")))
                .isEqualTo("12");
    }

    private static List<Applied> applied(String... versions) {
        return java.util.Arrays.stream(versions).map(v -> new Applied(v, true)).toList();
    }
}
