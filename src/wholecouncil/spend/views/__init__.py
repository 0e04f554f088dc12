"""Pages of the spend module, under /c/<slug>/spend/."""
