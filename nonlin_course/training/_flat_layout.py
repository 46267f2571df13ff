"""Where each parameter of K stacked MLPs lives in their one flat tensor
(:class:`~nonlin_course.training._stacked.BatchedMLP`): layer after layer, each weight (K, out, in)
then its bias (K, out); after the last layer the norms' scales, then their shifts."""

import torch

from ..nets.norms import check_norm


def views(flat: torch.Tensor, sizes: list[int], K: int, norm: str = "none"):
    """Views into ``flat``, layer after layer: each weight (K, out, in), as ``nn.Linear``
    stores it, then its bias (K, out); the norms' parameters (see :func:`norm_views`) come
    after the last layer."""
    weights, biases, start = [], [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        weights.append(flat[start : start + K * n_in * n_out].view(K, n_out, n_in))
        start += K * n_in * n_out
        biases.append(flat[start : start + K * n_out].view(K, n_out))
        start += K * n_out
    if check_norm(norm) != "none":
        start += 2 * K * sum(sizes[1:-1])
    if start != flat.numel():
        raise ValueError(
            f"flat has {flat.numel()} numbers; sizes {sizes} for {K} models "
            f"(norm {norm!r}) need {start}"
        )
    return weights, biases


def norm_views(flat: torch.Tensor, sizes: list[int], K: int, norm: str = "none"):
    """The norms' scales (gammas) and shifts (betas), (K, width) per hidden layer, views
    into the end of ``flat``; two empty lists without a norm."""
    if check_norm(norm) == "none":
        return [], []
    start = sum(K * (n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    out = []
    for _ in range(2):
        for width in sizes[1:-1]:
            out.append(flat[start : start + K * width].view(K, width))
            start += K * width
    return out[: len(sizes) - 2], out[len(sizes) - 2 :]
