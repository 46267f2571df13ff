"""nonlin_course: the companion package of the course "Why neural networks need
non-linear activations". Every chapter imports from here, and only from here."""
from .activations import activation, activation_names
from .batched import BatchedMLP, BatchedRun, init_models, train_batched
from .book import glue_float
from .data import Split, circles, digits, mnist, moons, plane_grid, train_test
from .gradients import dead_units, first_step_gradients, initialise, layer_ratio
from .handmade import HandmadeReLU, ReLUFunction
from .models import fold_linear, linear_layers, mlp
from .plots import (decision_regions, gradient_curves, heatmaps, in_colab, loss_curves,
                    region_map, rounded, scatter, seed_dots, setup_plots)
from .probe import grid_predictions, labelled_points, layer_outputs, long_table, predict
from .regions import count_regions, max_regions_one_layer, region_ids, relu_patterns
from .runtime import device, seed_everything
from .train import (evaluate, make_optimizer, mean_loss, predicted_class, seed_summary,
                    train_classifier)
from .zoo import derivative, properties, properties_table

__all__ = [
    "activation", "activation_names",
    "BatchedMLP", "BatchedRun", "init_models", "train_batched",
    "glue_float",
    "Split", "circles", "digits", "mnist", "moons", "plane_grid", "train_test",
    "dead_units", "first_step_gradients", "initialise", "layer_ratio",
    "HandmadeReLU", "ReLUFunction",
    "fold_linear", "linear_layers", "mlp",
    "decision_regions", "gradient_curves", "heatmaps", "in_colab", "loss_curves",
    "region_map", "rounded", "scatter", "seed_dots", "setup_plots",
    "grid_predictions", "labelled_points", "layer_outputs", "long_table", "predict",
    "count_regions", "max_regions_one_layer", "region_ids", "relu_patterns",
    "device", "seed_everything",
    "derivative", "properties", "properties_table",
    "evaluate", "make_optimizer", "mean_loss", "predicted_class", "seed_summary",
    "train_classifier",
]
__version__ = "0.1.0"
