"""Density baselines for scorematch's small-data benchmark, with scikit-learn (Debian's python3-sklearn).

    command -p python3 bench/python/density_baselines.py train.csv test.csv

Both files are CSV with a header row. Prints one JSON line with the mean held-out log-density
(nats per test row, in the data's units) of
  kde  a Gaussian KernelDensity on columns standardised with the training mean and standard
       deviation, its bandwidth chosen by 5-fold cross-validated likelihood over 41 values
       logarithmically spaced from 10^-1.5 to 10^0.5 (GridSearchCV), reported in data units
       (minus the sum of the log standard deviations);
  gmm  a full-covariance GaussianMixture on the same columns with 1..10 components, the number
       chosen by BIC (5 initialisations each, random_state=0);
and the chosen bandwidth and number of components.
"""
import json
import sys

import numpy as np
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KernelDensity


def main():
    train = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, ndmin=2)
    test = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1, ndmin=2)
    mean, sd = train.mean(axis=0), train.std(axis=0)
    zt, zs = (train - mean) / sd, (test - mean) / sd
    jacobian = np.log(sd).sum()
    search = GridSearchCV(KernelDensity(kernel="gaussian"), {"bandwidth": np.logspace(-1.5, 0.5, 41)}, cv=5)
    search.fit(zt)
    kde = search.best_estimator_.score_samples(zs).mean() - jacobian
    best = None
    for k in range(1, 11):
        g = GaussianMixture(k, covariance_type="full", n_init=5, random_state=0).fit(zt)
        bic = g.bic(zt)
        if best is None or bic < best[0]:
            best = (bic, k, g)
    gmm = best[2].score_samples(zs).mean() - jacobian
    print(json.dumps({"kde": float(kde), "bandwidth": float(search.best_params_["bandwidth"]),
                      "gmm": float(gmm), "components": best[1]}))


if __name__ == "__main__":
    main()
