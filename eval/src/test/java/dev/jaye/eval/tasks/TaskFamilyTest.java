// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.tasks;

import dev.jaye.tensor.Rng;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every family's answer agrees with what it drew: recomputed from the bookkeeping, and the
 * bookkeeping checked against the pixels.
 */
class TaskFamilyTest {
    private static final Set<Integer> PALETTE = new HashSet<>();

    static {
        for (Colour c : Colour.values()) PALETTE.add(c.rgb);
        PALETTE.add(Canvas.BACKGROUND);
        PALETTE.add(Canvas.INK);
    }

    /** Every family, both difficulty levels, both layouts, many seeds. */
    @Property(seed = "42", tries = 60)
    void answersMatchWhatWasDrawn(@ForAll long seed) {
        for (TaskFamily f : Families.all())
            for (Knobs k : List.of(f.standard(), f.shifted(), f.standard().withLayout(Knobs.Layout.FREE), f.shifted().withLayout(Knobs.Layout.FREE))) {
                TaskSample t = f.generate(new Rng(seed), k);
                String where = f.name() + " " + k.level() + " " + k.layout() + " seed " + seed + ": " + t.question();
                checkPicture(t, where);
                assertEquals(recompute(t), t.answer(), where);
                checkSolution(t, where);
            }
    }

    private static void checkPicture(TaskSample t, String where) {
        BufferedImage img = t.image();
        assertEquals(64, img.getWidth(), where);
        assertEquals(64, img.getHeight(), where);
        assertTrue(Pixels.nonBackground(img) > 30, where + ": blank image");
        for (int y = 0; y < 64; y++)                    // antialiasing off: no blended colours anywhere
            for (int x = 0; x < 64; x++) assertTrue(PALETTE.contains(Pixels.rgb(img, x, y)), where + ": off-palette pixel at " + x + "," + y);
        for (Item it : t.items()) {
            Rectangle box = new Rectangle(it.x(), it.y(), it.w(), it.h());
            assertTrue(new Rectangle(0, 0, 64, 64).contains(box), where + ": " + it + " leaves the image");
            // At least a third of the box is painted in the item's colour: it really is there.
            assertTrue(Pixels.count(img, it.rgb(), it.x(), it.y(), it.w(), it.h()) * 3 >= it.w() * it.h(), where + ": " + it + " not visible");
        }
        List<Item> shapes = t.items().stream().filter(i -> i.what().equals("shape") || i.what().equals("number")).toList();
        for (int i = 0; i < shapes.size(); i++)
            for (int j = i + 1; j < shapes.size(); j++) {
                Item a = shapes.get(i), b = shapes.get(j);
                Rectangle grown = new Rectangle(a.x() - 2, a.y() - 2, a.w() + 4, a.h() + 4);
                assertFalse(grown.intersects(new Rectangle(b.x(), b.y(), b.w(), b.h())), where + ": " + a + " touches " + b);
            }
        if (t.family().equals("count_total") || t.family().equals("caption"))
            assertEquals(t.items().size(), Pixels.components(img), where + ": objects seen in the pixels");
    }

    /** The answer recomputed from the items and the question, family by family. */
    private static String recompute(TaskSample t) {
        List<Item> items = t.items();
        int v = switch (t.family()) {
            case "count_total", "caption" -> items.size();
            case "count_color_kind" -> {
                Matcher m = Pattern.compile("How many (\\w+) (\\w+)s are there\\?").matcher(t.question());
                assertTrue(m.matches(), t.question());
                Pair target = Pair.parse(m.group(1) + " " + m.group(2));
                yield (int) items.stream().filter(i -> target.equals(i.pair())).count();
            }
            case "sum_digits" -> items.stream().filter(i -> i.what().equals("number")).mapToInt(Item::value).sum();
            case "rect_area" -> value(items, "width") * value(items, "height");
            case "rect_perimeter" -> 2 * (value(items, "width") + value(items, "height"));
            case "bar_max" -> {
                int max = items.stream().mapToInt(Item::value).max().orElseThrow();
                Item tallest = items.stream().max(java.util.Comparator.comparingInt(Item::h)).orElseThrow();
                assertEquals(max, tallest.value(), "the tallest drawn bar carries the largest label");
                assertEquals(1, items.stream().filter(i -> i.value() == max).count(), "a unique maximum");
                yield max;
            }
            case "boxes_apples" -> {
                int each = number(t.question(), "holds (\\d+) apples");
                yield each * (int) items.stream().filter(i -> i.pair().shape() == Shape.SQUARE).count();
            }
            case "price_total" -> {
                int total = 0;
                for (Shape s : Shape.values()) {
                    Matcher m = Pattern.compile("[Ee]ach " + s.word() + " costs (\\d+) coin").matcher(t.question());
                    int price = m.find() ? Integer.parseInt(m.group(1)) : 0;
                    if (price == 0) assertTrue(t.question().contains(s.word().substring(1) + "s are free"), t.question());
                    total += price * (int) items.stream().filter(i -> i.pair().shape() == s).count();
                }
                yield total;
            }
            default -> throw new AssertionError("no check for family " + t.family());
        };
        return String.valueOf(v);
    }

    private static int value(List<Item> items, String what) {
        return items.stream().filter(i -> i.what().equals(what)).findFirst().orElseThrow().value();
    }

    private static int number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), text);
        return Integer.parseInt(m.group(1));
    }

    private static void checkSolution(TaskSample t, String where) {
        String plain = t.solution().text(null);
        assertFalse(Reflection.contains(plain), where + ": reflection word in a plain solution: " + plain);
        if (t.kind() == Kind.ALIGNMENT) {
            assertEquals(Caption.caption(t.items().stream().map(Item::pair).toList()), plain, where);
            assertNull(t.solution().check());
            return;
        }
        String boxed = "\\boxed{" + t.answer() + "}";
        assertTrue(plain.endsWith(boxed), where + ": " + plain);
        assertEquals(1, plain.split(Pattern.quote("\\boxed{"), -1).length - 1, where + ": one boxed answer");
        for (String opener : Reflection.OPENERS) {
            String reflected = t.solution().text(opener);
            assertTrue(Reflection.contains(reflected), where + ": " + reflected);
            assertTrue(reflected.endsWith(boxed), where + ": " + reflected);
            assertTrue(reflected.indexOf(opener) < reflected.indexOf("\\boxed{"), "the reflection comes before the answer");
        }
        assertTrue(plain.chars().allMatch(c -> c >= 32 && c < 127), where + ": ASCII only");
    }

    @Test
    void everyOpenerHoldsAReflectionWordAndTheWordsAreTheMethods15() {
        assertEquals(15, Reflection.WORDS.size());
        assertEquals(15, Set.copyOf(Reflection.WORDS).size());
        for (String o : Reflection.OPENERS) assertTrue(Reflection.contains(o), o);
        assertFalse(Reflection.contains("The yellow squares are counted; there are 3."));
        assertTrue(Reflection.contains("Not yet."));
    }

    @Test
    void inDistributionSamplesNeverShowAHeldOutPairAndOodSamplesAlwaysDo() {
        Set<Pair> held = Looks.DEFAULT_HELD_OUT;
        for (TaskFamily f : Families.all())
            for (int s = 0; s < 40; s++) {
                TaskSample std = f.generate(new Rng(s), f.standard()), ood = f.generate(new Rng(s), f.shifted());
                Set<Pair> seenStd = std.items().stream().map(Item::pair).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
                assertTrue(seenStd.stream().noneMatch(held::contains), f.name() + " standard shows a held-out pair: " + seenStd);
                Set<Pair> seenOod = ood.items().stream().map(Item::pair).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
                if (!seenOod.isEmpty()) assertTrue(seenOod.stream().anyMatch(held::contains), f.name() + " ood shows no held-out pair: " + seenOod);
                if (f.name().equals("count_color_kind")) {
                    Matcher m = Pattern.compile("How many (\\w+) (\\w+)s").matcher(ood.question());
                    assertTrue(m.find());
                    assertTrue(held.contains(Pair.parse(m.group(1) + " " + m.group(2))), "the OOD question asks about a held-out pair: " + ood.question());
                }
            }
    }

    @Test
    void oodCountsAndValuesReachBeyondTheStandardRangesAndOverlapThem() {
        // Beyond: the OOD split asks for more than training showed. Overlapping: part of its
        // answers are numbers a trained model has produced, so the split measures generalisation
        // of composition rather than an answer vocabulary it never saw.
        for (TaskFamily f : Families.all()) {
            Knobs std = f.standard(), ood = f.shifted();
            assertEquals("ood", ood.level());
            assertTrue(ood.count().max() > std.count().max() || ood.value().max() > std.value().max(),
                    f.name() + ": the OOD split must shift counts or values");
            assertTrue(ood.count().min() <= std.count().max() && ood.value().min() <= Math.max(std.value().max(), 0),
                    f.name() + ": the OOD ranges must overlap the standard ones");
            assertTrue(ood.distractors().max() >= std.distractors().max(), f.name());
        }
        boolean beyond = false;
        for (int s = 0; s < 40; s++) {
            int ood = Integer.parseInt(new CountTotal().generate(new Rng(s), new CountTotal().shifted()).answer());
            assertTrue(ood >= 6 && ood <= 11, "OOD count " + ood);
            beyond |= ood > 8;
            assertTrue(Integer.parseInt(new CountTotal().generate(new Rng(s), new CountTotal().standard()).answer()) <= 8);
        }
        assertTrue(beyond, "some OOD counts exceed every training count");
    }

    @Test
    void theSameRngGivesTheSameSample() {
        for (TaskFamily f : Families.all()) {
            TaskSample a = f.generate(new Rng(7), f.standard()), b = f.generate(new Rng(7), f.standard());
            assertEquals(a.question(), b.question());
            assertEquals(a.items(), b.items());
            for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) assertEquals(a.image().getRGB(x, y), b.image().getRGB(x, y));
        }
    }

    @Test
    void captionsGroupByColourThenKind() {
        Pair rc = new Pair(Colour.RED, Shape.CIRCLE), bs = new Pair(Colour.BLUE, Shape.SQUARE), rt = new Pair(Colour.RED, Shape.TRIANGLE);
        assertEquals("2 red circles, 1 red triangle, 1 blue square.", Caption.caption(List.of(bs, rc, rt, rc)));
    }
}
