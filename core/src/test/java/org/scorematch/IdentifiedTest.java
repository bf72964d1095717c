package org.scorematch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.scorematch.datasets.BuiltinDataset;
import org.scorematch.engine.Activation;
import org.scorematch.engine.Initialization;
import org.scorematch.expfam.Weights;
import org.scorematch.model.Architecture;
import org.scorematch.objective.ObjectiveName;
import org.scorematch.objective.Projection;
import org.scorematch.sample.Sampler;
import org.scorematch.train.BatchOrder;
import org.scorematch.train.HeldOutMetric;

/** Every named enum parses each of its ids back to its constant, and refuses others with the list. */
class IdentifiedTest {
    private static <E extends Enum<E> & Identified> void roundTrips(Class<E> type, Function<String, E> fromId) {
        for (E e : type.getEnumConstants()) {
            assertThat(fromId.apply(e.id())).isSameAs(e);
            assertThat(e.id()).matches("[a-z0-9-]+");
        }
        assertThatThrownBy(() -> fromId.apply("no-such-name")).isInstanceOf(ScorematchException.class)
                .hasMessageContaining("'no-such-name'")
                .hasMessageContaining(type.getEnumConstants()[type.getEnumConstants().length - 1].id());
    }

    @Test
    void everyNamedEnumRoundTrips() {
        roundTrips(Activation.class, Activation::fromId);
        roundTrips(Initialization.class, Initialization::fromId);
        roundTrips(Weights.class, Weights::fromId);
        roundTrips(Architecture.Kind.class, Architecture.Kind::fromId);
        roundTrips(ObjectiveName.class, ObjectiveName::fromId);
        roundTrips(Projection.class, Projection::fromId);
        roundTrips(Sampler.Kind.class, Sampler.Kind::fromId);
        roundTrips(BatchOrder.class, BatchOrder::fromId);
        roundTrips(HeldOutMetric.class, HeldOutMetric::fromId);
        roundTrips(BuiltinDataset.class, BuiltinDataset::fromId);
    }

    @Test
    void idsAreTheLowerCaseNamesUnlessAConstantSaysOtherwise() {
        assertThat(ObjectiveName.SLICED_VR.id()).isEqualTo("sliced-vr");
        assertThat(BatchOrder.WITH_REPLACEMENT.id()).isEqualTo("replacement");
        assertThat(HeldOutMetric.LOG_LIKELIHOOD.id()).isEqualTo("likelihood");
        assertThatThrownBy(() -> Sampler.Kind.fromId("gibbs"))
                .hasMessage("unknown sampler 'gibbs'; expected auto, langevin, mala, annealed, hmc or tempering");
    }
}
