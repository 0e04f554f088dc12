"""Every write of the activity module, one module per area."""
