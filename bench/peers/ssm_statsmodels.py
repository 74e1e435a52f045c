#!/usr/bin/env python3
"""Peer for `vinfer bench ssm`: statsmodels' Kalman filter log-likelihood on the same AR(1)-plus-noise series.

Reads the series written by `vinfer bench ssm --series-out PATH` (little-endian float64), sets up the same model
(X_t = psi X_{t-1} + e_t, Y_t = zeta X_t + n_t, X_0 known, so x_1 ~ N(psi x0, sigma_h2)) in
statsmodels.tsa.statespace.kalman_filter.KalmanFilter and times loglike(), best of --repeats, trying both the default
memory layout and MEMORY_CONSERVE and reporting the faster. Times are thread CPU time (time.thread_time), like
`vinfer bench ssm`, so a busy machine does not distort the ratio. Prints one JSON line.
"""
import argparse
import json
import time

import numpy as np
from statsmodels.tsa.statespace.kalman_filter import KalmanFilter, MEMORY_CONSERVE


def build(y, psi, zeta, sigma_h2, sigma_v2, x0):
    kf = KalmanFilter(k_endog=1, k_states=1)
    kf.bind(y.reshape(-1, 1))
    kf['design'] = np.array([[zeta]])
    kf['obs_cov'] = np.array([[sigma_v2]])
    kf['transition'] = np.array([[psi]])
    kf['selection'] = np.array([[1.0]])
    kf['state_cov'] = np.array([[sigma_h2]])
    kf.initialize_known(np.array([psi * x0]), np.array([[sigma_h2]]))
    return kf


def best_time(fn, repeats):
    value = fn()  # warm-up
    best = float('inf')
    for _ in range(repeats):
        start = time.thread_time()
        value = fn()
        best = min(best, time.thread_time() - start)
    return best, value


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--series', required=True)
    ap.add_argument('--psi', type=float, default=0.88)
    ap.add_argument('--zeta', type=float, default=1.23)
    ap.add_argument('--sigma-h2', type=float, default=1.34)
    ap.add_argument('--sigma-v2', type=float, default=0.95)
    ap.add_argument('--x0', type=float, default=1.2)
    ap.add_argument('--repeats', type=int, default=3)
    args = ap.parse_args()
    y = np.fromfile(args.series, dtype='<f8')
    results = []
    for conserve in (False, True):
        kf = build(y, args.psi, args.zeta, args.sigma_h2, args.sigma_v2, args.x0)
        if conserve:
            kf.set_conserve_memory(MEMORY_CONSERVE)
        seconds, ll = best_time(kf.loglike, args.repeats)
        results.append((seconds, ll, 'conserve_memory' if conserve else 'default'))
    seconds, ll, mode = min(results)
    print(json.dumps({'name': 'statsmodels.kalman_loglike', 't': int(y.size), 'seconds': seconds,
                      'ns_per_step': seconds / y.size * 1e9, 'value': float(ll), 'mode': mode,
                      'clock': 'thread_cpu'}))


if __name__ == '__main__':
    main()
