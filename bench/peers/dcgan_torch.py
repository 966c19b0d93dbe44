"""Speed peer of `npm run bench -- engine`: the bench's reference DCGAN trained in PyTorch on the CPU.

usage: python3 bench/peers/dcgan_torch.py THREADS [STEPS]
Prints one JSON line: torch version, threads, ms and CPU ms per step (the mean over STEPS after 3 warm-up steps).
Run it with Debian's python3-torch and libopenblas0-pthread, with LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread
and OPENBLAS_NUM_THREADS=THREADS (the bench does this).

The same network and step as the workbench's TrainingSession with the bench's config:
G: Linear(64 -> 7*7*64) + bias, ReLU, ConvT(64 -> 32, k4 s2 p1; no bias: batch norm follows), BN, ReLU, ConvT(32 -> 1) + bias, tanh.
D: Conv(1 -> 32, k4 s2 p1), LeakyReLU 0.2, Conv(32 -> 64), LeakyReLU 0.2, Linear(3136 -> 1).
Batch 64, z 64, Adam 2e-4 (0.5, 0.999) for both, non-saturating loss. A D step (G in training mode without a tape, D on
reals and fakes in one call as D has no batch norm) then a G step on fresh noise.
"""
import json
import sys
import time

import torch
import torch.nn as nn

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 30
torch.set_num_threads(threads)
torch.manual_seed(0)

B, Z = 64, 64
G = nn.Sequential(
    nn.Linear(Z, 7 * 7 * 64), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
    nn.ConvTranspose2d(64, 32, 4, 2, 1, bias=False), nn.BatchNorm2d(32, eps=1e-5, momentum=0.1), nn.ReLU(),
    nn.ConvTranspose2d(32, 1, 4, 2, 1), nn.Tanh())
D = nn.Sequential(
    nn.Conv2d(1, 32, 4, 2, 1), nn.LeakyReLU(0.2),
    nn.Conv2d(32, 64, 4, 2, 1), nn.LeakyReLU(0.2),
    nn.Flatten(), nn.Linear(7 * 7 * 64, 1))
for p in list(G.parameters()) + list(D.parameters()):
    if p.dim() > 1:
        nn.init.normal_(p, 0.0, 0.02)
opt_g = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
# Real images in [-1, 1]: their content does not change the cost.
real = torch.rand(B, 1, 28, 28) * 2 - 1
targets = torch.cat([torch.ones(B, 1), torch.zeros(B, 1)])
ones = torch.ones(B, 1)


def step():
    with torch.no_grad():
        fake = G(torch.randn(B, Z))
    opt_d.zero_grad(set_to_none=True)
    bce(D(torch.cat([real, fake])), targets).backward()
    opt_d.step()

    opt_g.zero_grad(set_to_none=True)
    for p in D.parameters():
        p.requires_grad_(False)
    bce(D(G(torch.randn(B, Z))), ones).backward()
    opt_g.step()
    for p in D.parameters():
        p.requires_grad_(True)


for _ in range(3):
    step()
t0, c0 = time.perf_counter(), time.process_time()
for _ in range(steps):
    step()
wall = (time.perf_counter() - t0) / steps * 1000
cpu = (time.process_time() - c0) / steps * 1000
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "ms_per_step": wall, "cpu_ms_per_step": cpu}))
