"""Backfilling archives on a Dask cluster: the pure stages as tasks, one ordered writer."""
