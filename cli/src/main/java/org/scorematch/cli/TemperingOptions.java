package org.scorematch.cli;

import org.scorematch.sample.Sampler;
import picocli.CommandLine.Option;

/** The tempering sampler's ladder: how many temperatures and the hottest, each defaulting from D. */
final class TemperingOptions {
    @Option(names = "--temperatures", description = "Tempering: number of temperatures, geometric from 1 to "
            + "--max-temperature. Default: max(8, ⌈4√D⌉).")
    Integer temperatures;

    @Option(names = "--max-temperature", description = "Tempering: the hottest temperature; it should exceed the energy "
            + "barriers between the model's modes. Default: 20.")
    Double maxTemperature;

    /** The ladder for a model of dimension {@code d}: the defaults for d where no option was given. */
    Sampler.Temperatures forDimension(int d) {
        Sampler.Temperatures defaults = Sampler.Temperatures.defaultFor(d);
        return new Sampler.Temperatures(temperatures == null ? defaults.count() : temperatures,
                maxTemperature == null ? defaults.max() : maxTemperature);
    }
}
