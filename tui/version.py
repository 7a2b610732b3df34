"""The version of Timeline Explorer (read by the build, shown by ``--version``)."""

__version__ = "0.1.0"
