// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.eval.data.FieldMap;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --fields question=prompt,answer=label,image=img}, the same option on every command that
 * reads a split (a picocli mixin): which JSON keys hold a line's parts, or null for the layouts
 * jaye detects. A bad value is picocli's one-line error naming the option and the part at fault.
 */
final class FieldsOption {
    @Option(names = "--fields", paramLabel = "FIELDS", converter = Parse.class,
            description = "Which JSON keys hold a line's parts, for a layout jaye does not detect: e.g. question=prompt,answer=label,image=img "
                    + "(also id, solution, family; a part not named is not read). Without it: jaye's and the MAYE release's layouts, line by line.")
    FieldMap fields;

    static final class Parse implements CommandLine.ITypeConverter<FieldMap> {
        @Override
        public FieldMap convert(String value) {
            try {
                return FieldMap.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
