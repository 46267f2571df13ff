"""The best straight line through a labelled plane, found by direct search.

Training a linear classifier with cross-entropy finds the line with the lowest *loss*,
which need not be the line with the most points on their correct side. This module
finds the second one directly: for each of many directions it sorts the points along
that direction and tries every threshold between them.
"""
from dataclasses import dataclass

import math
import torch

from .. import _checks


@dataclass(frozen=True)
class Line:
    """A straight-line classifier: class 1 where ``X @ normal > offset``, else class 0."""

    normal: torch.Tensor   # (2,), unit length
    offset: float
    accuracy: float        # the fraction of the searched points on their correct side


def best_line(X: torch.Tensor, y: torch.Tensor, directions: int = 3600) -> Line:
    """The straight line that classifies most points of ``X`` (n, 2) correctly, labels
    ``y`` (n,) in {0, 1}, among ``directions`` evenly spaced normal directions (every
    threshold along each is tried, and both ways of labelling its two sides).

    Exact for the directions tried; more directions can only find a better line.
    ``directions`` times (n + 1) is at most 2^25 (the scores of every cut are held at once).

    >>> X = torch.tensor([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0]])
    >>> line = best_line(X, torch.tensor([0, 0, 1, 1]), directions=4)
    >>> line.accuracy, line.normal.tolist(), line.offset
    (1.0, [1.0, 0.0], 1.5)
    """
    X = _checks.finite("X", _checks.tensor_2d("X", X, columns=2))
    y = _checks.labels("y", y, X.shape[0])
    _checks.not_empty("X", X)
    directions = _checks.positive_int("directions", directions)
    if not ((y == 0) | (y == 1)).all():
        raise ValueError("y must hold the labels 0 and 1 only")
    _checks.allocation("directions", directions * (X.shape[0] + 1),
                       f"{directions:,} directions x {X.shape[0] + 1:,} cuts")
    X, y = X.detach().double().cpu(), y.cpu()
    angles = torch.arange(directions, dtype=torch.float64) * (math.pi / directions)
    normals = torch.stack([angles.cos(), angles.sin()], 1)          # (A, 2)
    along, order = (X @ normals.T).T.sort(dim=1)                     # (A, n), sorted
    ones_below = torch.cat([torch.zeros(directions, 1), y[order].double().cumsum(1)], 1)
    k = torch.arange(X.shape[0] + 1, dtype=torch.float64)            # points below the cut
    # class 0 below the cut and class 1 above: zeros below plus ones above
    right = (k - ones_below) + (ones_below[:, -1:] - ones_below)
    scores = torch.maximum(right, X.shape[0] - right)                # or the other way round
    a, cut = divmod(int(scores.argmax()), X.shape[0] + 1)
    padded = torch.cat([along[a, :1] - 1, along[a], along[a, -1:] + 1])
    offset = float((padded[cut] + padded[cut + 1]) / 2)              # midway between neighbours
    normal = normals[a].float()
    if right[a, cut] < X.shape[0] - right[a, cut]:                   # class 1 is below: flip
        normal, offset = -normal, -offset
    return Line(normal, offset, float(scores[a, cut]) / X.shape[0])
