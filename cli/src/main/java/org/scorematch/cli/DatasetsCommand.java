package org.scorematch.cli;

import java.util.concurrent.Callable;
import org.scorematch.datasets.BuiltinDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code scorematch datasets}: lists the built-in data sets. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "List the built-in data sets (use with train --dataset NAME).",
        footer = {"", "Examples:", "  scorematch datasets", "  scorematch train --dataset moons --objective sliced"})
final class DatasetsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        for (BuiltinDataset d : BuiltinDataset.values()) {
            out.printf("%-13s %s%n", d.id(), d.description());
        }
        return 0;
    }
}
