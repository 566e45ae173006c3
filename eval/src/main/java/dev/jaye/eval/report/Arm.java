// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.report;

/** Which way a run trained the starting model: the method (RL) or its baseline (SFT). */
public enum Arm {
    RL("RL", "rl"),
    SFT("SFT", "sft");

    private final String label, folder;

    Arm(String label, String folder) {
        this.label = label;
        this.folder = folder;
    }

    /** How tables and legends name the arm. */
    public String label() {
        return label;
    }

    /** The experiment's sub-folder holding this arm's {@code seed-<s>} runs. */
    public String folder() {
        return folder;
    }
}
