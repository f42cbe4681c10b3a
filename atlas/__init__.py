"""Integrationsatlas: a static-site generator for directories of local integration offers."""

__version__ = "0.1.0"
