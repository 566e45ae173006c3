// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import com.aparapi.Kernel;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Which arrays get a new device buffer at a kernel's next execution: those its fields hold now
 * and did not hold at its last one (see {@code Launcher.run} for why that is a copy).
 *
 * <p>The fields Aparapi gives buffers are the array fields {@code run()} reads or writes. This
 * package keeps them apart by a rule every kernel here follows: such fields are non-final, and
 * every other array field (placeholders, host-side scratch, {@code @Local} tiles) is final.
 */
final class Buffers {
    private Buffers() {}

    private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> out = new ArrayList<>();
            for (Class<?> c = type; c != Kernel.class && c != null; c = c.getSuperclass())
                for (Field f : c.getDeclaredFields()) {
                    int mod = f.getModifiers();
                    if (f.getType().isArray() && !Modifier.isStatic(mod) && !Modifier.isFinal(mod)) {
                        f.setAccessible(true);
                        out.add(f);
                    }
                }
            return List.copyOf(out);
        }
    };

    /** Per kernel instance, its buffer fields' arrays at its last execution. */
    private static final Map<Kernel, Object[]> BOUND = Collections.synchronizedMap(new WeakHashMap<>());

    /** For a kernel whose last execution failed: which buffers Aparapi kept is not known. */
    private static final Object[] UNKNOWN = new Object[0];

    /**
     * The arrays in {@code k}'s buffer fields that were not there at its last execution (all of
     * them at its first), and records the current ones as bound. Call once per execution, just
     * before it, under the kernel's lock.
     */
    static List<Object> rebound(Kernel k) {
        List<Field> fields = FIELDS.get(k.getClass());
        Object[] now = new Object[fields.size()], before = BOUND.get(k);
        List<Object> fresh = new ArrayList<>();
        try {
            for (int i = 0; i < now.length; i++) {
                now[i] = fields.get(i).get(k);
                if (before == null || (before != UNKNOWN && before[i] != now[i])) fresh.add(now[i]);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the fields of kernel " + k.getClass().getSimpleName(), e);
        }
        BOUND.put(k, now);
        return fresh;
    }

    /**
     * After a failed execution: Aparapi may or may not have swapped the buffers, so the next call
     * treats no array as new, and every input is put (at worst sent twice, never stale).
     */
    static void forget(Kernel k) {
        BOUND.put(k, UNKNOWN);
    }
}
