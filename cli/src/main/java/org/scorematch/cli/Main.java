package org.scorematch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code scorematch} command line. */
@Command(name = "scorematch", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Learn unnormalised densities from samples by score matching.")
public final class Main implements Runnable {
    /** The subcommands, in the order the usage lists them. */
    private static final java.util.List<Class<?>> COMMANDS = java.util.List.of(TrainCommand.class,
            ApplyCommands.Score.class, ApplyCommands.Energy.class, SampleCommand.class, EvalCommand.class,
            PlotCommands.Plot.class, PlotCommands.ReportCommand.class, GraphCommand.class, DatasetsCommand.class,
            CommandLine.HelpCommand.class);

    /** Held so the settings stick: the CLI prints which BLAS runs itself, so libraries' INFO lines are noise. */
    private static final java.util.logging.Logger[] QUIET = {
        java.util.logging.Logger.getLogger("dev.ludovic.netlib"),
        java.util.logging.Logger.getLogger("org.scorematch")
    };

    static {
        for (java.util.logging.Logger l : QUIET) {
            l.setLevel(java.util.logging.Level.WARNING);
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (0 on success). */
    public static int run(String... args) {
        return commandLine(args.length == 0 ? "" : args[0])
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("scorematch: " + asFlags(String.valueOf(e.getMessage())));
                    if (!(e instanceof org.scorematch.ScorematchException) && !(e instanceof IllegalArgumentException)) {
                        e.printStackTrace(cmd.getErr());
                    }
                    return 1;
                })
                .execute(args);
    }

    /**
     * The command line with only the subcommand named by {@code first} registered, or all of them
     * when it names none or asks for help (the help command lists and describes the others):
     * picocli builds a model of every registered command's options by reflection, about 70 ms of
     * a cold start for the other eight.
     */
    static CommandLine commandLine(String first) {
        CommandLine main = new CommandLine(new Main());
        for (Class<?> c : COMMANDS) {
            if (c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(first)) {
                return main.addSubcommand(c);
            }
        }
        for (Class<?> c : COMMANDS) {
            main.addSubcommand(c);
        }
        return main;
    }

    private static final java.util.regex.Pattern SETTING =
            java.util.regex.Pattern.compile("setting '([a-z-]+)'(?: = ([A-Za-z0-9.-]+))?");

    /**
     * The core's messages name settings ({@code setting 'lr'}, {@code setting 'sampler' = mala});
     * on the command line each is the flag of that name ({@code --lr}, {@code --sampler mala}).
     */
    static String asFlags(String message) {
        return SETTING.matcher(message).replaceAll(m -> "--" + m.group(1) + (m.group(2) == null ? "" : " " + m.group(2)));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'scorematch train --help'");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"scorematch " + (v == null ? "development build" : v)};
        }
    }
}
