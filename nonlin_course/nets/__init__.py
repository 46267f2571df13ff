"""What a network is: activations, the MLPs, their initialisation schemes, the norms, and
the linear baseline they are measured against (the best straight line).

Nothing here trains or plots; :mod:`nonlin_course.training` trains these models and
:mod:`nonlin_course.inside` looks into them.
"""
