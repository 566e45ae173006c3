"""PyTorch on the GPU, for jaye's OpenCL numbers on the same card (.ci/gpu/check runs it).

Matrix products: the shapes of `jaye bench matmul`, float32 with TF32 off (jaye's kernels
compute in float32 FMA), timed two ways: operands already on the GPU (the kernel), and from
host arrays and back (what one offloaded product costs jaye, whose operands live on the host).
Training: one step of the tiny VLM (batch 16 x 128, cross-entropy, backward, AdamW), the model
of ../shared/bench/torch_tiny_vlm.py, on the GPU. Prints a table; --json FILE appends JSON lines
in the form of jaye's benchmarks.
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

SHAPES = [  # label, form, M, N, K: MatmulBench.CASES
    ("square 128", "nn", 128, 128, 128), ("square 256", "nn", 256, 256, 256), ("square 512", "nn", 512, 512, 512),
    ("square 1024", "nn", 1024, 1024, 1024), ("square 2048", "nn", 2048, 2048, 2048),
    ("[2048x256]@[256x768]", "nn", 2048, 768, 256), ("[2048x768]@[768x256]", "nn", 2048, 256, 768),
    ("[2048x256]@[256x256]", "nn", 2048, 256, 256), ("[2048x256]@[256x512]", "nn", 2048, 512, 256),
    ("x W^T: [2048x256]@[768x256]^T", "nt", 2048, 768, 256), ("dX = dY W^T: [2048x768]@[256x768]^T", "nt", 2048, 256, 768),
    ("dB = A^T dC: [2048x256]^T@[2048x768]", "tn", 256, 768, 2048), ("dW = dY^T X: [2048x768]^T@[2048x256]", "tn", 768, 256, 2048),
    ("attention scores: [128x64]@[128x64]^T", "nt", 128, 128, 64), ("attention output: [128x128]@[128x64]", "nn", 128, 64, 128),
]


def timed(fn, seconds=0.5, runs=7):
    """Median and best seconds per call after a warm-up, with the GPU drained around each run."""
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    fn()
    torch.cuda.synchronize()
    reps = max(1, int(seconds / max(time.perf_counter() - t0, 1e-6)))
    out = []
    for _ in range(runs):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        torch.cuda.synchronize()
        out.append((time.perf_counter() - t0) / reps)
    return statistics.median(out), min(out)


def operands(form, m, n, k, dev):
    a = torch.randn(k, m, device=dev) if form == "tn" else torch.randn(m, k, device=dev)
    b = torch.randn(n, k, device=dev) if form == "nt" else torch.randn(k, n, device=dev)
    return a, b


def product(form, a, b):
    return (a.t() if form == "tn" else a) @ (b.t() if form == "nt" else b)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peers", required=True, help="folder with torch_tiny_vlm.py")
    ap.add_argument("--json")
    args = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.device("cuda")
    card = torch.cuda.get_device_name(0)
    out = open(args.json, "a") if args.json else None

    def record(line):  # at once, so that a later failure loses nothing
        if out:
            out.write(json.dumps(line) + "\n")
            out.flush()

    print(f"torch {torch.__version__} on {card}; float32, TF32 off; median (best) GFLOP/s")
    print(f"{'shape':40s} {'form':>4s} {'on GPU':>17s} {'host -> GPU -> host':>22s}")
    for label, form, m, n, k in SHAPES:
        a, b = operands(form, m, n, k, dev)
        flops = 2.0 * m * n * k
        med, best = timed(lambda: product(form, a, b))
        ha, hb = a.cpu(), b.cpu()
        rmed, rbest = timed(lambda: product(form, ha.to(dev), hb.to(dev)).cpu())
        print(f"{label:40s} {form:>4s} {flops / med / 1e9:8.1f} ({flops / best / 1e9:6.1f}) {flops / rmed / 1e9:12.1f} ({flops / rbest / 1e9:6.1f})")
        record({"bench": "matmul", "lib": "torch", "device": "cuda", "card": card, "form": form, "m": m, "n": n, "k": k,
                      "gflops": round(flops / med / 1e9, 1), "gflops_best": round(flops / best / 1e9, 1),
                      "gflops_host_round_trip": round(flops / rmed / 1e9, 1)})

    sys.path.insert(0, args.peers)
    try:
        from torch_tiny_vlm import TINY as C, TinyVLM, init_weights, make_batch
    except ImportError as e:
        print(f"no training step: torch_tiny_vlm.py not importable from {args.peers} ({e})")
        return
    for frozen in (False, True):
        model = init_weights(TinyVLM(C), seed=0).train().to(dev)
        ids, images = make_batch(C, 16, 128 - C.image_tokens, seed=1)
        ids, images = ids.to(dev), images.to(dev)
        targets = torch.full_like(ids, -100)
        targets[:, :-1] = ids[:, 1:]
        targets[targets == C.image_id] = -100
        if frozen:
            for p in list(model.vision.parameters()) + list(model.connector.parameters()):
                p.requires_grad_(False)
        opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4, weight_decay=0.01)

        def step():
            opt.zero_grad(set_to_none=True)
            logits = model(ids, images)
            F.cross_entropy(logits.view(-1, C.vocab_size), targets.view(-1), ignore_index=-100).backward()
            opt.step()

        med, best = timed(step, seconds=0.5, runs=10)
        variant = "frozen" if frozen else "full"
        print(f"train {variant:6s}: {med * 1e3:8.2f} ms per step (best {best * 1e3:.2f})")
        record({"bench": "train", "lib": "torch", "device": "cuda", "card": card, "variant": variant,
                      "ms_per_step": round(med * 1e3, 2), "ms_best": round(best * 1e3, 2)})


if __name__ == "__main__":
    main()
