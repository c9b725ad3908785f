"""readout-bench: a benchmark kit for sentence-level labels of diplomatic readouts.

Two tasks share one corpus format: ``domain`` (multi-label policy domains) and
``rhetoric`` (one primary rhetorical act). The modules are kept small and separate,
in the manner of MTEB: task metadata (:mod:`bench.tasks`), data
(:mod:`bench.corpus`, :mod:`bench.splits`), metrics and statistics
(:mod:`bench.metrics`, :mod:`bench.stats`), the model registry
(:mod:`bench.registry`), the protocol (:mod:`bench.harness`) and result records
(:mod:`bench.report`).

Importing this package is cheap: scikit-learn is imported only by the modules
that fit models, so ``--help`` and input errors stay fast.
"""

__version__ = "0.1.0"
