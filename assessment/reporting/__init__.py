"""The culture report: its numbers (stats), how a snapshot is put together from the
departments' counts (assembly), and the files it is downloaded as (exports)."""
