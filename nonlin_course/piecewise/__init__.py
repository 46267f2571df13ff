"""The functions a ReLU network draws: sums of hinges and interpolants (:mod:`.approx`),
ReLU nets fitted to a curve (:mod:`.relu_fit`) and what each unit does (:mod:`.roles`), and
what depth adds (:mod:`.depth`: tent maps, sawtooths, linear pieces counted).
"""
