"""Pure business-case computations (no Django): opportunities, profiles, costs, NPV, risk range."""
