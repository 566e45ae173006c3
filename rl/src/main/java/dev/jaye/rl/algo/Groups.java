// SPDX-License-Identifier: Apache-2.0
package dev.jaye.rl.algo;

import java.util.HashMap;
import java.util.Map;

/**
 * Rows grouped by query. The trainer labels each row with its query's index, and rows of one
 * query need not sit next to each other (a shuffled or filtered batch), so the labels are
 * renumbered 0..count-1 once and every statistic becomes a plain array indexed by group.
 *
 * @param index the dense group of each row
 * @param size  the number of rows in each group
 */
record Groups(int[] index, int[] size) {

    /** Groups the {@code rows} rows of {@code rowsName} by the labels in {@code group}. */
    static Groups of(int[] group, int rows, String rowsName) {
        if (group == null) throw new IllegalArgumentException("group is null");
        if (group.length != rows)
            throw new IllegalArgumentException("group has " + group.length + " entries but " + rowsName + " has " + rows + " rows");
        Map<Integer, Integer> dense = new HashMap<>();
        int[] index = new int[rows];
        for (int i = 0; i < rows; i++) index[i] = dense.computeIfAbsent(group[i], k -> dense.size());
        int[] size = new int[dense.size()];
        for (int k : index) size[k]++;
        return new Groups(index, size);
    }

    int count() {
        return size.length;
    }

    /** The mean of {@code x} over each group's rows. */
    double[] means(double[] x) {
        double[] mean = new double[count()];
        for (int i = 0; i < x.length; i++) mean[index[i]] += x[i];
        for (int k = 0; k < mean.length; k++) mean[k] /= size[k];
        return mean;
    }
}
