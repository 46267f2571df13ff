"""nonlin_course: the companion package of the course "Why neural networks need
non-linear activations". Every chapter imports from here, and only from here.

What is exported is what the chapters and their exercises use. Everything else stays
importable from its module (for example ``nonlin_course.training.loop.mean_loss``,
``nonlin_course.training.batched.BatchedMLP``,
``nonlin_course.nets.initialisation.initialise``); those modules are the place to read how
the exported functions work.
"""
# The wings, each a sub-package (README.md, "Layout"): nets (what a network is), training (how
# it learns), inside (what it computes, layer by layer), piecewise (the functions a ReLU net
# draws), figures (every lets-plot figure) and exercises (the checkers); data, runtime and glue
# serve them all.
from .data import Split, circles, digit_pairs, digits, mnist, moons, plane_grid, train_test
from .exercises import (check_abs_hinges, check_fold, check_interpolant_weights,
                        check_kaiming_std, check_leaky_relu_function, check_saturated_fraction,
                        check_sawtooth, check_sigmoid_derivative, check_silu_function)
from .figures.approx_plots import error_loglog, piecewise_fits, residual_curves
from .figures.deep_plots import (accuracy_by_norm, histogram_lines, layer_curves,
                                 pieces_vs_units, regions_by_depth, sawtooth_curves,
                                 update_ratio_curves)
from .figures.maps import decision_regions, polygon_region_map, region_map, surface_map
from .figures.plots import (accuracy_curves, gradient_curves, heatmaps, loss_curves, scatter,
                            seed_dots)
from .figures.setup import setup_plots
from .figures.zoo_plots import parallel_coordinates, score_ranking, zoo_curves, zoo_histograms
from .glue import glue_float
from .inside.gradients import dead_units, first_step_gradients, layer_ratio
from .inside.probe import (decision_frames, grid_predictions, labelled_points, layer_outputs,
                           long_table)
from .inside.polygons import decision_segments, line_crossings, region_polygons
from .inside.regions import (count_regions, interior_points, max_regions_one_layer, region_ids,
                             unit_lines)
from .inside.signals import (histograms, layer_signals, layer_values, relu_std_after,
                             saturated_fraction)
from .inside.zoo import curves, derivative, output_histograms, properties_table
from .nets.activations import activation, activation_names
from .nets.best_line import best_line
from .nets.initialisation import init_deep
from .nets.models import affine_fit_error, affine_unexplained, fold_linear, mlp
from .nets.residual import residual_mlp
from .piecewise.approx import (Hinges, curve_table, error_table, errors, fine_grid, hinge,
                               hinge_sum, interpolant, least_squares, loglog_slope)
from .piecewise.depth import (breakpoints, linear_pieces, parameter_count, sawtooth_table,
                              shallow_sawtooth, sizes_for_budget, tent_net)
from .piecewise.relu_fit import fit_relu_net, fit_relu_nets
from .piecewise.roles import role_table
from .runtime import device, seed_everything
from .training.batched import init_models, train_batched
from .training.loop import seed_summary, train_classifier
from .training.selection import SeededMLP, cross_validate, cv_results
from .training.skips import compare_skips

__all__ = [
    # data and where it lives
    "Split", "circles", "digits", "digit_pairs", "mnist", "moons", "plane_grid", "train_test",
    "device", "seed_everything",
    # models and training
    "activation", "activation_names", "mlp", "fold_linear", "affine_fit_error",
    "affine_unexplained", "best_line",
    "train_classifier", "seed_summary", "init_models", "train_batched",
    "SeededMLP", "cross_validate", "cv_results",
    # looking inside
    "decision_frames", "grid_predictions", "labelled_points", "layer_outputs", "long_table",
    "dead_units", "first_step_gradients", "layer_ratio",
    "count_regions", "max_regions_one_layer", "region_ids", "unit_lines", "interior_points",
    "region_polygons", "line_crossings", "decision_segments", "polygon_region_map",
    "curves", "derivative", "output_histograms", "properties_table",
    # chapter 4: hinges and approximation
    "Hinges", "hinge", "hinge_sum", "interpolant", "least_squares", "fit_relu_net",
    "fit_relu_nets", "role_table",
    "fine_grid", "curve_table", "errors", "error_table", "loglog_slope",
    # chapter 5: deep networks
    "tent_net", "shallow_sawtooth", "breakpoints", "linear_pieces", "sawtooth_table",
    "parameter_count", "sizes_for_budget", "init_deep",
    "relu_std_after", "saturated_fraction", "layer_signals", "layer_values", "histograms",
    "residual_mlp", "compare_skips",
    # figures
    "setup_plots", "scatter", "decision_regions", "heatmaps", "loss_curves", "seed_dots",
    "region_map", "gradient_curves", "accuracy_curves", "zoo_curves", "zoo_histograms",
    "score_ranking",
    "parallel_coordinates", "piecewise_fits", "residual_curves", "error_loglog",
    "surface_map", "sawtooth_curves", "pieces_vs_units", "regions_by_depth", "layer_curves",
    "histogram_lines", "update_ratio_curves", "accuracy_by_norm",
    # numbers into the prose, and the exercises' checkers
    "glue_float",
    "check_fold", "check_sigmoid_derivative", "check_leaky_relu_function",
    "check_silu_function", "check_abs_hinges", "check_interpolant_weights",
    "check_sawtooth", "check_kaiming_std", "check_saturated_fraction",
]
__version__ = "0.1.0"
