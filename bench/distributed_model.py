#!/usr/bin/env python3
"""Ring-allreduce model of data-parallel SVI on a 10 Gb/s network (docs/distributed.md).

T_allreduce(m bytes, P) = 2 (P - 1) alpha + 2 (P - 1) / P * m / beta   (Patarasuk and Yuan 2009; Thakur et al. 2005)
T_step(P) = rows_per_step / P * c + u + k * T_allreduce(m / k, P)

Measured inputs (vinfer bench mpi / vinfer fit lda on the shared 2-core machine, see the doc) are passed below.
"""
import math

ALPHA = 20e-6          # s per message step on 10 GbE with TCP (assumed; loopback shared memory measured 0.6 us)
BETA = 10e9 / 8        # bytes/s

def allreduce(m, p, alpha=ALPHA, beta=BETA):
    if p == 1:
        return 0.0
    return 2 * (p - 1) * alpha + 2 * (p - 1) / p * m / beta

def step(rows, p, c, u, k, m):
    return rows / p * c + u + k * allreduce(m / k, p)

def crossover(p, c, k, m):
    """Global batch (rows per step) at which the per-step compute B/P * c equals the communication."""
    return p * k * allreduce(m / k, p) / c

# SVI logistic regression: N = 1e8 rows, D = 100, S = 8 particles, full-data gradient per step.
N, D, S = 1e8, 100, 8
c_row = 8.24e-7                       # s per row per step, 1 rank, D = 100, S = 8 (vinfer bench mpi)
m_lr = 8 * (S + S * (D + 1))          # bytes per step: forward S log-likelihoods, backward S x (D + 1) gradients
m_lr_param = 8 * (2 * (D + 1) + 1)    # the alternative: one allreduce of the mean-field gradient + ELBO
print("logistic regression, N = 1e8, D = 100, S = 8: bytes/step", m_lr, "(parameter-gradient alternative", m_lr_param, ")")
print("| P | step (s) | speed-up | comm share | batch where comm = compute (rows) | same, parameter-gradient scheme |")
t1 = step(N, 1, c_row, 0, 3, m_lr)
for p in (8, 16, 32, 64):
    t = step(N, p, c_row, 0, 3, m_lr)
    comm = 3 * allreduce(m_lr / 3, p)
    print(f"| {p} | {t:.3f} | {t1 / t:.2f} | {comm / t:.2e} | {crossover(p, c_row, 3, m_lr):,.0f} | {crossover(p, c_row, 1, m_lr_param):,.0f} |")

# Online LDA (Hoffman, Blei and Bach 2010): 1e7 documents, K = 100 topics, V = 10,000 words, batch B documents per
# step, one dense allreduce of the K x V expected counts per step, lambda's update (u) replicated on every machine.
K, V = 100, 10_000
c_doc = 1.36e-3                       # s per document (E-step, 1 thread; vinfer fit lda --method svi, K = 100)
u = K * V * 20e-9                     # s per step: digamma of every lambda entry (assumed 20 ns each)
m_lda = 8 * K * V
print("online LDA, K = 100, V = 1e4: bytes/step", m_lda, "lambda update", u, "s")
for B in (1024, 4096, 16384):
    print(f"B = {B}: | P | step (s) | speed-up | comm share |")
    t1 = step(B, 1, c_doc, u, 1, m_lda)
    for p in (8, 16, 32, 64):
        t = step(B, p, c_doc, u, 1, m_lda)
        comm = allreduce(m_lda, p)
        print(f"| {p} | {t:.4f} | {t1 / t:.2f} | {comm / t:.2f} |")
print("LDA batch where comm = compute:", {p: round(crossover(p, c_doc, 1, m_lda)) for p in (8, 16, 32, 64)})
print("epoch of 1e7 documents at B = 4096 on 64 machines (s):", 1e7 / 4096 * step(4096, 64, c_doc, u, 1, m_lda), "vs 1 machine:", 1e7 / 4096 * step(4096, 1, c_doc, u, 1, m_lda))
