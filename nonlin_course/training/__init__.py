"""How a network learns: the reference loop (:mod:`.loop`, one model at a time, plain torch),
the batched trainer (:mod:`.batched`, K models in one pass, tested against the loop) and
model selection with skorch (:mod:`.selection`).

The batched trainer's internals are its own private modules: ``_stacked`` (K MLPs stacked
into one tensor, with hand-written passes), ``_flat_layout`` (where each parameter lives in
the flat tensor), ``_flat_optimizer`` (SGD and Adam on it) and ``_run_tables`` (the tidy
tables of a run).
"""
