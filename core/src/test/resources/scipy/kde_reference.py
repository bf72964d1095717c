"""Reference values for DiscrepancyTest.kdeMatchesScipyGaussianKde (scipy 1.10.1, Debian python3-scipy).

Run: command -p python3 core/src/test/resources/scipy/kde_reference.py
"""
import numpy as np
from scipy.stats import gaussian_kde

rng = np.random.default_rng(5)
for d, n in [(1, 9), (2, 12), (3, 15)]:
    x = np.round(rng.normal(size=(n, d)) * [1.5, 0.7, 2.0][:d] + [0.3, -1, 2][:d], 3)
    q = np.round(rng.normal(size=(3, d)), 3)
    logpdf = gaussian_kde(x.T).logpdf(q.T)
    print(d, n, x.ravel().tolist(), q.ravel().tolist(), [float("%.17g" % v) for v in logpdf])
