"""The pure-Python core: no Qt here (tests/unit/test_layers.py enforces it)."""
