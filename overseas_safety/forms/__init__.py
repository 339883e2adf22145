"""Forms of overseas safety, one module per concern."""
