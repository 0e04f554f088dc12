"""Pages of the business-case module: opportunities, baselines, cases and options, and their outputs."""
