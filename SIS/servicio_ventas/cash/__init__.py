"""Cash sessions: a cashier's till at a branch, from opening float to counted close."""
