"""The error services raise when the domain refuses a request."""


class DomainError(Exception):
    """A request the domain refuses, with a message fit to show the user."""
