"""Qt widgets, models and controllers: the only layer (with app.py) that imports PySide6."""
