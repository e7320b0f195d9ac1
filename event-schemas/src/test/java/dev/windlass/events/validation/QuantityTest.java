package dev.windlass.events.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

    @ParameterizedTest
    @CsvSource({
        "500m, 0.5",
        "1, 1",
        "1.5, 1.5",
        ".5, 0.5",
        "2., 2",
        "256Mi, 268435456",
        "1Ki, 1024",
        "10Gi, 10737418240",
        "1k, 1000",
        "1M, 1000000",
        "2E, 2000000000000000000",
        "1Ei, 1152921504606846976",
        "1e3, 1000",
        "1E3, 1000",
        "5e-3, 0.005",
        "0, 0"
    })
    void parsesTheKubernetesGrammar(String quantity, BigDecimal expected) {
        assertThat(Quantity.parse(quantity))
                .hasValueSatisfying(value -> assertThat(value).isEqualByComparingTo(expected));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "", "m", "Mi", "-1", "+1", "1.5.5", "1 m", "1mi", "1MB", "1KI", "1Kb", "0x10", "1e", "1e123", "ten",
                "256Mi\n", "1..5", "e3"
            })
    void rejectsWhatIsNotAQuantity(String quantity) {
        assertThat(Quantity.parse(quantity)).isEmpty();
        assertThat(Quantity.isValid(quantity)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"128m", "0.5m"})
    void recognisesTheMilliSuffix(String quantity) {
        assertThat(Quantity.isMilli(quantity)).isTrue();
        assertThat(Quantity.isMilli("128Mi")).isFalse();
        assertThat(Quantity.isMilli("128M")).isFalse();
    }

    @Test
    void rejectsOverlongStrings() {
        assertThat(Quantity.isValid("1".repeat(Quantity.MAX_LENGTH))).isTrue();
        assertThat(Quantity.isValid("1".repeat(Quantity.MAX_LENGTH + 1))).isFalse();
    }
}
