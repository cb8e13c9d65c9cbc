"""Company settings: the one set of facts every till prints and prices by (tax, discounts, returns)."""
