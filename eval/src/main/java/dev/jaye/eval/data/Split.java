// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.data;

/** The four splits, in the order their random streams are split off the seed. */
public enum Split {
    TRAIN, VAL, TEST, TEST_OOD;

    /** "train", "val", "test", "test_ood": the file stem and the image folder. */
    public String file() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean ood() {
        return this == TEST_OOD;
    }

    public static Split parse(String s) {
        for (Split x : values()) if (x.file().equals(s.trim())) return x;
        throw new IllegalArgumentException("unknown split '" + s + "'; known: train, val, test, test_ood");
    }
}
