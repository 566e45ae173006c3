// SPDX-License-Identifier: Apache-2.0
package dev.jaye.models.lm;

import dev.jaye.tensor.Rng;
import dev.jaye.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvCacheTest {
    @Test
    void appendsGrowPastTheCapacityAndKeepEveryPosition() {
        KvCache c = new KvCache(2);
        Rng rng = new Rng(1);
        Tensor k1 = Tensor.randn(rng, 1, 2, 3, 40, 5), v1 = Tensor.randn(rng, 1, 2, 3, 40, 5);
        c.append(0, k1, v1);
        c.append(1, k1, v1);
        int first = c.capacity();
        Tensor allK = k1, allV = v1;
        for (int step = 0; step < 70; step++) {                       // one token at a time, past the capacity
            Tensor k = Tensor.randn(rng, 1, 2, 3, 1, 5), v = Tensor.randn(rng, 1, 2, 3, 1, 5);
            c.append(0, k, v);
            c.append(1, k, v);
            allK = Tensor.concat(2, allK, k);
            allV = Tensor.concat(2, allV, v);
        }
        assertTrue(c.capacity() > first, "the buffer grew");
        assertEquals(110, c.length());
        for (int layer = 0; layer < 2; layer++) {
            Tensor[] kv = c.contiguous(layer);
            assertArrayEquals(allK.data(), kv[0].data(), "keys of layer " + layer);
            assertArrayEquals(allV.data(), kv[1].data(), "values of layer " + layer);
        }
        assertThrows(IllegalArgumentException.class, () -> c.append(0, Tensor.zeros(2, 4, 1, 5), Tensor.zeros(2, 4, 1, 5)));
    }
}
