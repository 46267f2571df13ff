"""What a network computes, layer by layer: probes of its layers' outputs, gradients per
layer, signals at initialisation, the linear regions of a ReLU net and the properties of
each activation in the zoo. Every function returns tensors or DataFrames for
:mod:`nonlin_course.figures`.
"""
