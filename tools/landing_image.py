"""Draw the intro page's landing image: chapter 1's point at a glance.

Usage: python tools/landing_image.py [OUT]   (default book/_static/moons_linear_vs_relu.png)

Trains chapter 1's two moons models (2 -> 10 -> 2, without and with a ReLU, seed 0) with
the chapter's own call: ``nc.moons()`` and ``nc.train_batched`` with their defaults, which
are chapter 1's reference settings, and ``nc.decision_frames`` for the map. It saves their
decision regions side by side as a PNG (lets-plot draws it itself, no browser needed), with each model's test accuracy in
its title. Only a sample of the test points is drawn, so the file stays small (the
accuracy uses every test point). The figure is laid out 600 px wide, so that its text
stays legible when a phone shrinks the image to the screen. Run it again after changing
the models, the training or the plots.
"""

import sys
from pathlib import Path

import torch
from lets_plot import LetsPlot, gggrid, ggsave, ggsize, theme_minimal2

import nonlin_course as nc
from nonlin_course.training.loop import evaluate

OUT = Path("book/_static/moons_linear_vs_relu.png")
MODELS = {"linear": "identity", "ReLU": "relu"}  # title -> activation between the layers
SHOWN_POINTS = 400
MAX_BYTES = 300_000


def trained_models(split):
    """Chapter 1's moons models, seed 0: {title: trained network}."""
    run = nc.train_batched([2, 10, 2], list(MODELS.values()), [0], split, epochs=50)
    return {title: run.model(activation=act) for title, act in MODELS.items()}


def landing_figure(nets, split):
    """Decision regions of each network side by side, test accuracy in the titles."""
    shown_X, shown_y = split.X_test[:SHOWN_POINTS], split.y_test[:SHOWN_POINTS]
    panels = []
    for title, net in nets.items():
        _, accuracy = evaluate(net, split.X_test, split.y_test)
        panels.append(
            nc.decision_regions(
                *nc.decision_frames(net, shown_X, shown_y),
                title=f"{title}: {accuracy:.1%} test acc.",
            )
        )
    return gggrid(panels, ncol=2) + ggsize(600, 300)


def main(out: Path = OUT) -> None:
    LetsPlot.set_theme(theme_minimal2())
    split = nc.train_test(*nc.moons(), test_size=0.2, on=torch.device("cpu"))
    figure = landing_figure(trained_models(split), split)
    out.parent.mkdir(parents=True, exist_ok=True)
    ggsave(figure, out.name, path=str(out.parent.resolve()), scale=2)
    size = out.stat().st_size
    print(f"wrote {out} ({size / 1000:.0f} KB)")
    if size > MAX_BYTES:
        sys.exit(f"{out} is over {MAX_BYTES / 1000:.0f} KB: draw fewer points or cells")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
