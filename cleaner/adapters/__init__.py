"""Adapters that run the cleaner inside corpus-building engines (optional extras).

* :mod:`cleaner.adapters.dask` — Dask bags (and dataframes), on a laptop or a cluster:
  ``pip install 'cleaner[dask]'``.
* :mod:`cleaner.adapters.datatrove` — a datatrove pipeline step: ``pip install datatrove``
  (it is in the ``bench`` extra).

Importing this package imports neither engine.
"""
