"""Factories, one module per app: tests.factories.accounts, .regions, .practices, .meetings."""
