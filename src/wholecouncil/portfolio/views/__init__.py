"""Pages of the portfolio module."""
