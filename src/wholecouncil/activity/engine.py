"""Pure activity-analysis computations (no Django): taxonomy, baseline, fragmentation, suppression."""
