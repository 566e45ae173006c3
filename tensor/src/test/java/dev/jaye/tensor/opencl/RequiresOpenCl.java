// SPDX-License-Identifier: Apache-2.0
package dev.jaye.tensor.opencl;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a jqwik test container, visibly and with discovery's reason, when this machine has no
 * OpenCL device. A kernel test that passed without a device would claim coverage it does not give.
 *
 * <p>Why a jqwik hook and not JUnit's {@code Assumptions.assumeTrue}: inside a jqwik property an
 * aborted assumption only rejects that try, and a property whose every try is rejected fails as
 * "exhausted" instead of being skipped. The hook skips the whole class before any try, and the
 * reason shows in the test report.
 */
public final class RequiresOpenCl implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        Devices.Discovery d = Devices.discover();
        // Where OpenCL is installed on purpose (CI), a broken install must fail, not skip:
        // -Djaye.test.requireOpenCl=true lets the tests run and fail with discovery's reason.
        if (d.devices().isEmpty() && !Boolean.getBoolean("jaye.test.requireOpenCl")) return SkipResult.skip(d.reason());
        return SkipResult.doNotSkip();
    }

    /**
     * The device kernel tests run on: {@code -Djaye.test.opencl=N} if given, else device 0 (on CI
     * and on this project's machine, PoCL's CPU device). Call only from a class with this hook.
     */
    static OpenClDevice device() {
        int n = Integer.getInteger("jaye.test.opencl", 0);
        return Devices.resolve(Device.opencl(n)).orElseThrow();
    }
}
