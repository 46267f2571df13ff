"""Every lets-plot figure of the course, and its palette. Each function takes results
(tensors or DataFrames) and returns a figure; none computes anything about a model.
:mod:`.setup` sets lets-plot up for Colab, a local Jupyter or the built site.
"""
