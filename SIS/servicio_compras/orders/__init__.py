"""Purchase orders to suppliers and the goods received against them (each receipt a saga with inventory)."""
