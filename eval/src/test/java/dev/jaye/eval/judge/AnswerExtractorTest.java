// SPDX-License-Identifier: Apache-2.0
package dev.jaye.eval.judge;

import dev.jaye.eval.judge.AnswerExtractor.Answer;
import dev.jaye.eval.judge.AnswerExtractor.Source;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The last-\boxed rule, its edge cases, and the two fallbacks. */
class AnswerExtractorTest {

    static Optional<Answer> answer(String text, Source source) { return Optional.of(new Answer(text, source)); }

    @Test
    void lastBoxedWins() {
        assertEquals(answer("42", Source.BOXED), AnswerExtractor.extract("So \\boxed{42}."));
        assertEquals(answer("2", Source.BOXED), AnswerExtractor.extract("First \\boxed{1}, wait, no: \\boxed{ 2 }"));
    }

    @Test
    void nestedAndEscapedBracesAreMatched() {
        assertEquals(Optional.of("\\frac{3}{4}"), AnswerExtractor.boxed("\\boxed{\\frac{3}{4}}"));
        assertEquals(Optional.of("\\frac{\\sqrt{2}}{2}"), AnswerExtractor.boxed("x \\boxed{\\frac{\\sqrt{2}}{2}} y"));
        // \{ and \} are literal braces (a set), not grouping.
        assertEquals(Optional.of("\\{1, 2\\}"), AnswerExtractor.boxed("\\boxed{\\{1, 2\\}}"));
    }

    @Test
    void anUnclosedBoxIsSkipped() {
        // Cut off by the token limit: the last box the model closed is its answer.
        assertEquals(Optional.of("5"), AnswerExtractor.boxed("\\boxed{5} then \\boxed{\\frac{7}{"));
        assertEquals(Optional.empty(), AnswerExtractor.boxed("only \\boxed{7"));
    }

    @Test
    void spaceBeforeTheBraceAndAnEmptyBox() {
        assertEquals(Optional.of("5"), AnswerExtractor.boxed("\\boxed {5}"));
        assertEquals(Optional.of(""), AnswerExtractor.boxed("\\boxed{}"));   // an answer, and a wrong one
        assertEquals(Optional.empty(), AnswerExtractor.boxed("\\boxed 5"));
    }

    @Test
    void fallbackTakesTheFirstNumberAfterTheLastMarker() {
        assertEquals(answer("12", Source.AFTER_MARKER),
                AnswerExtractor.extract("The answer is 12 cm because 3 x 4 = 12 and 4 + 8 = 12."));
        assertEquals(answer("-3/4", Source.AFTER_MARKER), AnswerExtractor.extract("Answer: -3/4"));
        assertEquals(answer("1,234", Source.AFTER_MARKER), AnswerExtractor.extract("so the ANSWER IS 1,234 apples, from 617 * 2"));
        assertEquals(answer("5", Source.AFTER_MARKER),
                AnswerExtractor.extract("My first answer is 3. Wait, the answer is 5, not 3."));
    }

    @Test
    void fallbackTakesTheLastNumberWithoutAMarker() {
        assertEquals(answer("7", Source.LAST_NUMBER), AnswerExtractor.extract("3 + 4 = 7"));
        assertEquals(answer("2.5", Source.LAST_NUMBER), AnswerExtractor.extract("half of 5 is 2.5."));
        // A marker with no number after it: the last number of the whole text.
        assertEquals(answer("12", Source.LAST_NUMBER), AnswerExtractor.extract("12 apples, so the answer is x"));
        // A comma list is three numbers; a digit glued to a letter is not a number.
        assertEquals(answer("3", Source.LAST_NUMBER), AnswerExtractor.extract("the sides are 1,2,3"));
        assertEquals(answer("5", Source.LAST_NUMBER), AnswerExtractor.extract("5 apples in box x2"));
        // \boxed without a brace is no box.
        assertEquals(answer("9", Source.LAST_NUMBER), AnswerExtractor.extract("\\boxed 9"));
    }

    @Test
    void nothingGivesEmpty() {
        assertEquals(Optional.empty(), AnswerExtractor.extract(""));
        assertEquals(Optional.empty(), AnswerExtractor.extract("I do not know the answer."));
    }
}
