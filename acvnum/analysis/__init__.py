"""What is done with the numbers: uncertainty, levers, what-if, budgets, comparison, portfolio."""
