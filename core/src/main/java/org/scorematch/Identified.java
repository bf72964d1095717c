package org.scorematch;

import java.util.Locale;

/**
 * An enum constant named by a lower-case id, the word model files, the CLI and Spark write for
 * it: by default the constant's name in lower case with '-' for '_' ({@code SLICED_VR} is
 * {@code sliced-vr}). {@link #parse} is the one way back from a word to the constant.
 */
public interface Identified {
    /** The constant's enum name; enums implement it already. */
    String name();

    /** The id: the lower-case name with '-' for '_', unless the constant says otherwise. */
    default String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} whose {@link #id()} is {@code id}, ignoring case. The error names what was
     * asked for ({@code what}, e.g. "model kind") and lists the ids, with {@code alsoAccepted}
     * (words a caller handles itself, such as "auto") among them.
     */
    static <E extends Enum<E> & Identified> E parse(Class<E> type, String id, String what, String... alsoAccepted) {
        E[] values = type.getEnumConstants();
        for (E e : values) {
            if (e.id().equalsIgnoreCase(id)) {
                return e;
            }
        }
        StringBuilder ids = new StringBuilder();
        int total = alsoAccepted.length + values.length;
        int i = 0;
        for (String extra : alsoAccepted) {
            ids.append(separator(i++, total)).append(extra);
        }
        for (E e : values) {
            ids.append(separator(i++, total)).append(e.id());
        }
        throw new ScorematchException("unknown " + what + " '" + id + "'; expected " + ids);
    }

    /** Whether {@code id} is the id of one of {@code type}'s constants (ignoring case). */
    static <E extends Enum<E> & Identified> boolean isId(Class<E> type, String id) {
        for (E e : type.getEnumConstants()) {
            if (e.id().equalsIgnoreCase(id)) {
                return true;
            }
        }
        return false;
    }

    private static String separator(int i, int total) {
        return i == 0 ? "" : i == total - 1 ? " or " : ", ";
    }
}
