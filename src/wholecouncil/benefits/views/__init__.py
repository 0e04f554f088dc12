"""Pages of the benefits register: thin views over the selectors and services."""
