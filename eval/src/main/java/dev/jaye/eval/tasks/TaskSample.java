// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * What a family generates: the picture, the question, the answer and its gold solution, plus the
 * bookkeeping of what was drawn (for tests and for reading). Ids and file names are given later,
 * by the dataset writer.
 *
 * @param level the knobs' level ("standard", "ood"), written as the sample's difficulty
 */
public record TaskSample(String family, Kind kind, String level, BufferedImage image, String question, String answer,
                         Solution solution, List<Item> items) {
    public TaskSample {
        items = List.copyOf(items);
        if (image.getWidth() != Canvas.SIZE || image.getHeight() != Canvas.SIZE)
            throw new IllegalArgumentException("images are " + Canvas.SIZE + "x" + Canvas.SIZE);
    }
}
