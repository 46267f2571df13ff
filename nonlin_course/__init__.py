"""nonlin_course: the companion package of the course "Why neural networks need
non-linear activations". Every chapter imports from here, and only from here.

What is exported is what the chapters and their exercises use. Everything else stays
importable from its module (for example ``nonlin_course.train.mean_loss``,
``nonlin_course.stacked.BatchedMLP``, ``nonlin_course.gradients.initialise``); those
modules are the place to read how the exported functions work.
"""
from .activations import activation, activation_names
from .approx import (Hinges, curve_table, error_table, errors, fine_grid, hinge,
                     hinge_sum, interpolant, least_squares, loglog_slope)
from .batched import init_models, train_batched
from .book import glue_float
from .data import Split, circles, digit_pairs, digits, mnist, moons, plane_grid, train_test
from .exercises import (check_abs_hinges, check_fold, check_interpolant_weights,
                        check_leaky_relu_function, check_sigmoid_derivative, check_silu_function)
from .gradients import dead_units, first_step_gradients, layer_ratio
from .models import affine_fit_error, fold_linear, mlp
from .notebook import setup_plots
from .approx_plots import error_loglog, piecewise_fits, residual_curves
from .maps import decision_regions, region_map, surface_map
from .plots import (accuracy_curves, gradient_curves, heatmaps, loss_curves,
                    parallel_coordinates, scatter, score_ranking, seed_dots, zoo_curves,
                    zoo_histograms)
from .probe import (decision_frames, grid_predictions, labelled_points, layer_outputs,
                    long_table)
from .relu_fit import fit_relu_net, fit_relu_nets, role_table, unit_roles
from .regions import count_regions, max_regions_one_layer, region_ids
from .runtime import device, seed_everything
from .selection import SeededMLP, cross_validate, cv_results
from .train import evaluate, seed_summary, train_classifier
from .zoo import curves, derivative, output_histograms, properties_table

__all__ = [
    # data and where it lives
    "Split", "circles", "digits", "digit_pairs", "mnist", "moons", "plane_grid", "train_test",
    "device", "seed_everything",
    # models and training
    "activation", "activation_names", "mlp", "fold_linear", "affine_fit_error",
    "train_classifier", "evaluate", "seed_summary", "init_models", "train_batched",
    "SeededMLP", "cross_validate", "cv_results",
    # looking inside
    "decision_frames", "grid_predictions", "labelled_points", "layer_outputs", "long_table",
    "dead_units", "first_step_gradients", "layer_ratio",
    "count_regions", "max_regions_one_layer", "region_ids",
    "curves", "derivative", "output_histograms", "properties_table",
    # chapter 4: hinges and approximation
    "Hinges", "hinge", "hinge_sum", "interpolant", "least_squares", "fit_relu_net",
    "fit_relu_nets", "unit_roles", "role_table",
    "fine_grid", "curve_table", "errors", "error_table", "loglog_slope",
    # figures
    "setup_plots", "scatter", "decision_regions", "heatmaps", "loss_curves", "seed_dots",
    "region_map", "gradient_curves", "accuracy_curves", "zoo_curves", "zoo_histograms",
    "score_ranking",
    "parallel_coordinates", "piecewise_fits", "residual_curves", "error_loglog",
    "surface_map",
    # numbers into the prose, and the exercises' checkers
    "glue_float",
    "check_fold", "check_sigmoid_derivative", "check_leaky_relu_function",
    "check_silu_function", "check_abs_hinges", "check_interpolant_weights",
]
__version__ = "0.1.0"
