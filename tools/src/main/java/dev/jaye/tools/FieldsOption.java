// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tools;

import dev.jaye.eval.data.FieldMap;
import picocli.CommandLine;

/** {@code --fields question=prompt,answer=label,image=img}: a FieldMap, or picocli's one-line error naming the option and the part at fault. */
final class FieldsOption implements CommandLine.ITypeConverter<FieldMap> {
    @Override
    public FieldMap convert(String value) {
        try {
            return FieldMap.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
