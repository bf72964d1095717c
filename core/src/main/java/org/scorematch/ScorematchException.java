package org.scorematch;

/**
 * The library's one error type for bad input: unreadable or malformed data and model files,
 * inconsistent options. The message is one line that says what is wrong and, where it applies,
 * where ({@code file:line:column}). Readers of untrusted files let no other exception escape.
 *
 * <p>A remedy names a setting as {@code setting 'name'} or {@code setting 'name' = value}, the
 * names the command line's flags and the Spark estimator's parameters are made from; only the
 * command line turns them into {@code --flags}.
 */
public class ScorematchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScorematchException(String message) {
        super(message);
    }

    public ScorematchException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An error at a position in a text file ({@code line} and {@code column} 1-based; 0 = unknown). */
    public static ScorematchException at(String file, long line, int column, String what) {
        StringBuilder where = new StringBuilder(file);
        if (line > 0) {
            where.append(':').append(line);
            if (column > 0) {
                where.append(':').append(column);
            }
        }
        return new ScorematchException(where + ": " + what);
    }
}
