"""The stock valuation report: each product's quantity on hand at its moving average cost."""
