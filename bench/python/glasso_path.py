"""Graphical lasso path from scikit-learn on the same data as scorematch's graph-recovery harness.

Reads a CSV of samples (header row), fits sklearn.covariance.graphical_lasso on the empirical
covariance for a geometric path of penalties from the largest off-diagonal |covariance| (empty
graph) down to 1/200 of it, and prints one JSON object: the true/false positive rates of each
support against the true precision matrix (second CSV), and the area under the ROC curve
through them, (0,0) and (1,1). Run with Debian's interpreter (python3-sklearn):

    command -p python3 bench/python/glasso_path.py samples.csv truth.csv [points]
"""
import json
import sys
import warnings

import numpy as np
from sklearn.covariance import empirical_covariance, graphical_lasso

warnings.filterwarnings("ignore")


def rates(estimate, truth):
    iu = np.triu_indices_from(truth, k=1)
    edge = truth[iu] != 0
    found = np.abs(estimate[iu]) > 1e-10
    return float((edge & found).sum() / edge.sum()), float((~edge & found).sum() / (~edge).sum())


def auc(points):
    pts = sorted(points + [(0.0, 0.0), (1.0, 1.0)], key=lambda p: (p[1], p[0]))
    return float(sum((b[1] - a[1]) * (a[0] + b[0]) / 2 for a, b in zip(pts, pts[1:])))


def main():
    x = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
    truth = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1)
    points = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    s = empirical_covariance(x)
    top = np.max(np.abs(s - np.diag(np.diag(s))))
    alphas = top * np.geomspace(1.0, 0.005, points)
    roc = []
    for a in alphas:
        try:
            _, precision = graphical_lasso(s, alpha=a, max_iter=200)
            roc.append(rates(precision, truth))
        except FloatingPointError:
            continue
    print(json.dumps({"rates": roc, "auc": auc(roc), "points": len(roc)}))


if __name__ == "__main__":
    main()
