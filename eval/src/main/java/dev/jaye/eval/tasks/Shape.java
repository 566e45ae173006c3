// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

/** The three object kinds: different enough in outline to tell apart at 10-12 pixels. */
public enum Shape {
    CIRCLE, SQUARE, TRIANGLE;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** "1 circle", "3 circles". */
    public String count(int n) {
        return n + " " + (n == 1 ? word() : word() + "s");
    }
}
