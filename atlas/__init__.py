"""Integrationsatlas: a static-site generator for directories of local integration offers."""
