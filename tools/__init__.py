"""The project's tools (editions, site checks), importable as ``tools.<name>``: run them
from the repository's root as ``python -m tools.make_colab`` and so on."""
