"""nonlin_course: the companion package of the course "Why neural networks need
non-linear activations". Every chapter imports from here, and only from here."""
from .activations import activation, activation_names
from .approx import (Hinges, NetFit, curve_table, error_table, errors, fine_grid, fit_relu_net,
                     hinge, hinge_design, hinge_sum, interpolant, least_squares, loglog_slope)
from .plots import error_loglog, piecewise_fits, residual_curves, surface_map
from .batched import BatchedRun, init_models, train_batched
from .stacked import BatchedMLP
from .book import glue_float
from .data import Split, circles, digits, mnist, moons, plane_grid, train_test
from .exercises import (check_abs_hinges, check_fold, check_interpolant_weights,
                        check_leaky_relu_function, check_sigmoid_derivative, check_silu_function)
from .gradients import dead_units, first_step_gradients, initialise, layer_ratio
from .handmade import HandmadeReLU, ReLUFunction
from .models import fold_linear, linear_layers, mlp
from .plots import (decision_regions, gradient_curves, heatmaps, in_colab, loss_curves,
                    parallel_coordinates, region_colours, region_map, rounded, scatter,
                    score_ranking, seed_dots, setup_plots, zoo_curves, zoo_histograms)
from .probe import grid_predictions, labelled_points, layer_outputs, long_table, predict
from .regions import count_regions, max_regions_one_layer, region_ids, relu_patterns
from .selection import ProgressScorer, SeededMLP, cross_validate, cv_results
from .runtime import device, seed_everything
from .train import (evaluate, make_optimizer, mean_loss, predicted_class, seed_summary,
                    train_classifier)
from .zoo import curves, derivative, output_histograms, properties, properties_table

__all__ = [
    "activation", "activation_names",
    "Hinges", "NetFit", "curve_table", "error_table", "errors", "fine_grid", "fit_relu_net",
    "hinge", "hinge_design", "hinge_sum", "interpolant", "least_squares", "loglog_slope",
    "error_loglog", "piecewise_fits", "residual_curves", "surface_map",
    "BatchedMLP", "BatchedRun", "init_models", "train_batched",
    "glue_float",
    "Split", "circles", "digits", "mnist", "moons", "plane_grid", "train_test",
    "check_abs_hinges", "check_fold", "check_interpolant_weights", "check_leaky_relu_function",
    "check_sigmoid_derivative", "check_silu_function",
    "dead_units", "first_step_gradients", "initialise", "layer_ratio",
    "HandmadeReLU", "ReLUFunction",
    "fold_linear", "linear_layers", "mlp",
    "decision_regions", "gradient_curves", "heatmaps", "in_colab", "loss_curves",
    "parallel_coordinates", "region_colours", "region_map", "rounded", "scatter",
    "score_ranking", "seed_dots", "setup_plots", "zoo_curves", "zoo_histograms",
    "grid_predictions", "labelled_points", "layer_outputs", "long_table", "predict",
    "count_regions", "max_regions_one_layer", "region_ids", "relu_patterns",
    "ProgressScorer", "SeededMLP", "cross_validate", "cv_results",
    "device", "seed_everything",
    "curves", "derivative", "output_histograms", "properties", "properties_table",
    "evaluate", "make_optimizer", "mean_loss", "predicted_class", "seed_summary",
    "train_classifier",
]
__version__ = "0.1.0"
